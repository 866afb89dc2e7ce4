import { gunzipSync } from 'node:zlib';
import tar from 'tar-stream';

/** What a Drydock deploy puts in a node's boot config (`{"drydock": {...}}`) so the node can fetch its bootactions and report. */
export type SimBootactionConfig = {
  readonly hostname: string;
  /** 64 hex characters: the `X-Bootaction-Key` of every request. */
  readonly key: string;
  readonly units_url: string;
  readonly files_url: string;
  /** What the client appends `/<action id>/` to. */
  readonly report_url: string;
};

/** The bootaction the simulated node runs and reports itself; every other one is left alone. */
export const SIM_BOOTACTION_NAME = 'sim-hello';
/** The file of `sim-hello` that names its id and report URL (rendered by labpool from the design's template). */
export const SIM_HELLO_PATH = '/etc/labpool/hello.json';

type Entry = { readonly name: string; readonly type: string | null | undefined; readonly mode: number; readonly uid: number; readonly gid: number; readonly data: string };

export type SimBootactionOptions = {
  readonly log: (message: string) => void;
  /** False once the boot that runs this is over (power cut, new boot): the client stops retrying. */
  readonly alive: () => boolean;
};

/** The `drydock` part of a boot config's text, when it has a complete one. */
export function bootactionConfigOf(bootConfigText: string): SimBootactionConfig | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bootConfigText);
  } catch {
    return undefined;
  }
  const drydock = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).drydock : undefined;
  if (typeof drydock !== 'object' || drydock === null) return undefined;
  const fields = drydock as Record<string, unknown>;
  const names = ['hostname', 'key', 'units_url', 'files_url', 'report_url'] as const;
  return names.every((name) => typeof fields[name] === 'string') ? (fields as SimBootactionConfig) : undefined;
}

/**
 * What a deployed node's bootaction agent does: fetches its units and files with its key, unpacks them
 * in memory, checks them, and reports `sim-hello` the way Drydock's Go client posts (a detail, then the
 * final status). Never throws: a failure is logged.
 */
export async function runSimBootactions(config: SimBootactionConfig, options: SimBootactionOptions): Promise<void> {
  try {
    const units = await fetchTarball(config.units_url, config, options);
    const files = await fetchTarball(config.files_url, config, options);
    if (units === undefined || files === undefined) return;
    const hello = files.find((entry) => entry.name === SIM_HELLO_PATH);
    if (hello === undefined) return options.log(`${config.hostname}: no ${SIM_BOOTACTION_NAME} among its bootactions`);
    const { action_id: actionId, report_url: reportUrl } = JSON.parse(hello.data) as { action_id?: unknown; report_url?: unknown };
    if (typeof actionId !== 'string' || typeof reportUrl !== 'string') return options.log(`${config.hostname}: ${SIM_HELLO_PATH} names no action_id and report_url`);
    const url = `${reportUrl}/${actionId}/`;
    const problem = entryProblem([...units, ...files]);
    await post(url, { details: [{ message: `${SIM_BOOTACTION_NAME} starting on ${config.hostname}`, error: false }] }, config, options);
    const final = problem === undefined ? { message: `hello from ${config.hostname}`, error: false } : { message: problem, error: true };
    await post(url, { status: problem === undefined ? 'success' : 'failure', details: [final] }, config, options);
  } catch (error) {
    options.log(`${config.hostname}: bootactions failed: ${String(error)}`);
  }
}

/** Why the unpacked assets are not what labpool promises (absolute paths, regular files, owner root), if they are not. */
function entryProblem(entries: readonly Entry[]): string | undefined {
  const bad = entries.find((entry) => !entry.name.startsWith('/') || entry.type !== 'file' || entry.uid !== 0 || entry.gid !== 0 || entry.mode === 0);
  return bad === undefined ? undefined : `unexpected tar entry ${bad.name} (type ${bad.type}, uid ${bad.uid}, gid ${bad.gid}, mode ${bad.mode.toString(8)})`;
}

/** Retries while labpool does not answer or answers 5xx, as the second stage does; a 4xx is final. */
async function request(url: string, init: RequestInit, options: SimBootactionOptions): Promise<Response | undefined> {
  for (let attempt = 0; options.alive(); attempt++) {
    const response = await fetch(url, init).catch(() => undefined);
    if (response !== undefined && response.status < 500) return response;
    await response?.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 100 * (attempt + 1))));
  }
  return undefined;
}

async function fetchTarball(url: string, config: SimBootactionConfig, options: SimBootactionOptions): Promise<Entry[] | undefined> {
  const response = await request(url, { headers: { 'X-Bootaction-Key': config.key } }, options);
  if (response === undefined) return undefined;
  const body = Buffer.from(await response.arrayBuffer());
  if (!response.ok) return void options.log(`${config.hostname}: ${url} answered ${response.status}`);
  return untar(gunzipSync(body));
}

async function post(url: string, body: object, config: SimBootactionConfig, options: SimBootactionOptions): Promise<void> {
  const headers = { 'X-Bootaction-Key': config.key, 'Content-Type': 'application/json' };
  const response = await request(url, { method: 'POST', headers, body: JSON.stringify(body) }, options);
  await response?.body?.cancel();
  if (response !== undefined && !response.ok) options.log(`${config.hostname}: report to ${url} answered ${response.status}`);
}

async function untar(tarball: Buffer): Promise<Entry[]> {
  const extract = tar.extract();
  const entries: Entry[] = [];
  const done = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      const { name, type, mode = 0, uid = -1, gid = -1 } = entry.header;
      entries.push({ name, type, mode, uid, gid, data: Buffer.concat(chunks).toString('utf8') });
    }
  })();
  extract.end(tarball);
  await done;
  return entries;
}

/** Reads the boot config the second stage fetches; its `drydock` part when it has one. Never throws. */
export async function fetchBootactionConfig(bootConfigUrl: string): Promise<SimBootactionConfig | undefined> {
  const response = await fetch(bootConfigUrl).catch(() => undefined);
  const text = response?.ok === true ? await response.text().catch(() => '') : '';
  if (response !== undefined && !response.ok) await response.body?.cancel();
  return bootactionConfigOf(text);
}
