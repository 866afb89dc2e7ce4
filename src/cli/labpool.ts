/**
 * The labpool command: `labpool serve` (the server, what `npm start` runs), `labpool tail`,
 * `labpool history`, `labpool devices`. Run it as `npm run labpool -- <command> [options]`.
 */
const usage = `usage: labpool <command> [options]
  serve     [--config <file>]                           run the server (npm start)
  tail      [--device X] [--type T] [--from P] [--json] [--server URL | --store <sqlite file | esdb URL>]
            [--category C] [--request N] [--limit N]    (filters may repeat or take comma lists)
  history   device <name> [--at <ISO time>] | request <id>  [--server URL | --store ...]
  devices   [--server URL]                              list devices and their states`;

const commands: Readonly<Record<string, (args: string[]) => Promise<void>>> = {
  serve: async () => void (await import('../main.js')),
  tail: async (args) => (await import('./tail.js')).runTail(args),
  history: async (args) => (await import('./history.js')).runHistory(args),
  devices: async (args) => (await import('./devices.js')).runDevices(args),
};

const [name, ...args] = process.argv.slice(2);
const command = name === undefined ? undefined : commands[name];
if (command === undefined) {
  console.error(usage);
  process.exit(name === undefined || name === '--help' || name === '-h' ? 0 : 2);
} else {
  command(args).catch((error: unknown) => {
    console.error(`labpool ${name}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
