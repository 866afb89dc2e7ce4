import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** A labpool process started by a test, with everything it printed so far. */
export type LabpoolProcess = { readonly child: ChildProcess; output(): string };

export type ServedProcess = LabpoolProcess & { readonly url: string };

/**
 * The environment of a test's labpool process: the config file names everything, so variables of
 * the test's own shell (an inventory, another store) must not reach it.
 */
function processEnv(configFile: string, extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const { LABPOOL_INVENTORY: _inventory, ...env } = process.env;
  return { ...env, LABPOOL_CONFIG: configFile, EVENTSTORE_URL: '', LABPOOL_STORE: '', ...extra };
}

function spawnLabpool(args: readonly string[], env: NodeJS.ProcessEnv): LabpoolProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** Resolves once `process` printed a line matching `pattern` (its first group, or the whole match); rejects if it exits first. */
export function waitForLine(process: LabpoolProcess, pattern: RegExp): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(process.output());
      if (match === null) return false;
      cleanUp();
      resolve(match[1] ?? match[0]);
      return true;
    };
    const onExit = (code: number | null) => (cleanUp(), reject(new Error(`exited with ${code} before printing ${pattern}:\n${process.output()}`)));
    const cleanUp = () => {
      process.child.stdout?.off('data', check);
      process.child.stderr?.off('data', check);
      process.child.off('exit', onExit);
    };
    if (check()) return;
    process.child.stdout?.on('data', check);
    process.child.stderr?.on('data', check);
    process.child.once('exit', onExit);
  });
}

/** `npm start`'s entry point on `configFile` (plus `env`), once it serves. */
export async function startServerProcess(configFile: string, env: Readonly<Record<string, string>> = {}): Promise<ServedProcess> {
  const started = spawnLabpool(['src/main.ts'], processEnv(configFile, env));
  const url = await waitForLine(started, /serving (http:\/\/\S+)\/api\//);
  return { ...started, url };
}

/** `labpool sim` on `configFile`: the simulated lab in its own process, once its devices are wired. */
export async function startSimProcess(configFile: string, env: Readonly<Record<string, string>> = {}): Promise<LabpoolProcess> {
  const started = spawnLabpool(['src/cli/labpool.ts', 'sim'], processEnv(configFile, env));
  await waitForLine(started, /^labpool sim: /m);
  return started;
}

/** `kill -9`, and waits until the process is gone; nothing when it already is. */
export async function killHard(process: LabpoolProcess | undefined): Promise<void> {
  if (process === undefined) return;
  if (process.child.exitCode !== null || process.child.signalCode !== null) return;
  const exited = once(process.child, 'exit');
  process.child.kill('SIGKILL');
  await exited;
}
