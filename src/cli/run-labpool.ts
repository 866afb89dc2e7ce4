import type { CliIo, ExitCode } from './cli-io.js';

const usage = `usage: labpool <command> [options]
  serve     [--config <file>]                           run the server (npm start)
  tail      [--device X] [--type T] [--from P] [--json] [--server URL | --store <sqlite file | esdb URL>]
            [--category C] [--request N] [--limit N]    (filters may repeat or take comma lists)
  history   device <name> [--at <ISO time>] | request <id>  [--server URL | --store ...]
  devices   [--server URL]                              list devices and their states
  user add  NAME [--role R]... [--file F] [--force] [--scrypt]   add a user to the users file
  sim       [--config <file>] [--server URL]            run the simulated lab alone (for sim.external)`;

const commands: Readonly<Record<string, (args: string[], io: CliIo) => Promise<void>>> = {
  serve: async () => void (await import('../main.js')),
  tail: async (args, io) => (await import('./tail.js')).runTail(args, io),
  history: async (args, io) => (await import('./history.js')).runHistory(args, io),
  devices: async (args, io) => (await import('./devices.js')).runDevices(args, io),
  user: async (args, io) => (await import('./user.js')).runUser(args, io),
  sim: async (args, io) => (await import('./sim.js')).runSim(args, io),
};

/**
 * Runs `labpool <command> [options]` with `argv` (what follows `labpool`) and returns the exit code
 * instead of exiting, so it can run inside another process. A failure is one line on stderr.
 */
export async function runLabpool(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [name, ...args] = argv;
  const command = name === undefined ? undefined : commands[name];
  if (command === undefined) {
    io.stderr(`${usage}\n`);
    return name === undefined || name === '--help' || name === '-h' ? 0 : 2;
  }
  try {
    await command(args, io);
    return 0;
  } catch (error: unknown) {
    io.stderr(`labpool ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
