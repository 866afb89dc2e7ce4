/** A CPU profile of one piece of a bench (`DRYDOCK_PROFILE=<folder>` and the like): what `--cpu-prof` gives for a whole process. */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

/** Runs `run`; with a `folder`, writes the CPU profile of the main thread while it ran to `<folder>/<name>.cpuprofile`. */
export async function profiled<Value>(folder: string | undefined, name: string, run: () => Promise<Value>): Promise<Value> {
  if (folder === undefined) return run();
  const session = new Session();
  session.connect();
  const post = (method: string) => new Promise<unknown>((resolve, reject) => session.post(method, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    writeFileSync(join(folder, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}
