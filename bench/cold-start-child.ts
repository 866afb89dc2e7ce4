/**
 * One measured cold start, in a process of its own so that its RSS is its own. Run by cold-start.ts:
 *   node --import tsx --expose-gc bench/cold-start-child.ts <full|phases> <store path> <devices>
 * `full`: startLabpool + the first complete `GET /api/device/list/`; then a message to 1,000 devices
 * spread over the lab (none loaded yet: each loads its actor), its latencies; then RSS after a GC.
 * `phases`: projection catch-up alone, then the deadlines' restore (the lab's and every family's)
 * alone on the caught-up log.
 * Prints one JSON line.
 */
import { createActorSystem } from '../src/actors/actor-system.js';
import { loadConfig, type LabpoolConfig } from '../src/config/config.js';
import { DIALECTS } from '../src/dialects/dialects.js';
import { createIdentity } from '../src/identity/identity.js';
import { createUserDirectory } from '../src/identity/user-directory.js';
import { createCoreLab, createDeviceDeadlineIndex } from '../src/lab/lab.js';
import { startLabpool } from '../src/labpool.js';
import { createMetrics } from '../src/metrics/create-metrics.js';
import { createLabReadModels } from '../src/projections/lab/lab-read-models.js';
import { createProjectionRunner } from '../src/projections/projection-runner.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { createFakeHardware } from '../test/support/fake-hardware.js';
import { percentile } from './bench-row.js';
import { BENCH_CLOCK_START_MS, BENCH_SERVER_ID, deviceName } from './cold-start-store.js';

const [mode, path = '', devicesArg] = process.argv.slice(2);
const devices = Number(devicesArg);
const startedAt = Date.now();
/** A clock just after the generated history, so that no deadline of it fires while measuring. */
const nowMs = () => BENCH_CLOCK_START_MS + (Date.now() - startedAt);
const msSince = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

function gcAndMemory() {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rssMb: rss / 2 ** 20, heapUsedMb: heapUsed / 2 ** 20, gc: typeof (globalThis as { gc?: unknown }).gc === 'function' };
}

async function full() {
  const config: LabpoolConfig = {
    ...loadConfig({ env: {} }),
    serverId: BENCH_SERVER_ID,
    http: { host: '127.0.0.1', port: 0 },
    store: { kind: 'sqlite', path, synchronous: 'NORMAL' },
    inventory: { file: null, forceSync: false },
    sim: { ...loadConfig({ env: {} }).sim, enabled: false },
  };
  const fake = createFakeHardware();
  const t0 = process.hrtime.bigint();
  const labpool = await startLabpool(config, { hardware: fake.hardware, nowMs });
  const startMs = msSince(t0);
  let names = 0;
  while (names !== devices) {
    const body = (await (await fetch(`${labpool.url}/api/device/list/`)).json()) as { devices: string[] };
    names = body.devices.length;
    if (names !== devices && msSince(t0) > 300_000) throw new Error(`only ${names} devices listed`);
  }
  const listMs = msSince(t0);
  const stats = labpool.actors.stats();
  // Any device actor takes a message at once: 1,000 devices spread over the lab, one after another, each loading its actor.
  const firstMessageMs: number[] = [];
  const step = Math.max(1, Math.floor(devices / 1_000));
  for (let i = 0; i < devices; i += step) {
    const t = process.hrtime.bigint();
    const { state } = await labpool.lab.context.kinds.devices.read(deviceName(i));
    firstMessageMs.push(msSince(t));
    if (state.state !== 'ready') throw new Error(`${deviceName(i)} is ${state.state}, expected ready`);
  }
  const memory = gcAndMemory();
  await labpool.stop();
  return {
    startMs,
    listMs,
    runningActors: stats.runningActors,
    armedDeadlines: stats.armedDeadlines,
    firstMessageP50Ms: percentile(firstMessageMs, 50),
    firstMessageP99Ms: percentile(firstMessageMs, 99),
    sampled: firstMessageMs.length,
    ...memory,
  };
}

async function phases() {
  const store = openSqliteStore({ path, synchronous: 'NORMAL' });
  const { readModels, projections } = createLabReadModels();
  const metrics = createMetrics({ readModels });
  const config = loadConfig({ env: {} });
  const actors = createActorSystem({ store, serverId: BENCH_SERVER_ID, nowMs });
  const identity = createIdentity({ users: createUserDirectory([]), system: actors, waitFor: (p) => runner.waitFor(p), nowMs });
  const dialectLabs = DIALECTS.map((dialect) => dialect.lab({ config, readModels, metrics: metrics.registry, identity, simulatedLab: false }));
  const deviceDeadlines = createDeviceDeadlineIndex();
  const runner = createProjectionRunner(store, [...projections, ...dialectLabs.flatMap((lab) => lab.projections), ...metrics.projections, deviceDeadlines, identity.tokenViews]);
  const t0 = process.hrtime.bigint();
  await runner.start();
  const catchUpMs = msSince(t0);
  const events = Number(runner.position());
  const readModelsHeapMb = gcAndMemory().heapUsedMb;
  const hardware = createFakeHardware().hardware;
  const lab = createCoreLab({ serverId: BENCH_SERVER_ID, system: actors, hardware, readModels, deviceDeadlines, waitFor: (p) => runner.waitFor(p), nowMs });
  const parts = dialectLabs.map((dialectLab) => dialectLab.attach(lab, actors));
  const t1 = process.hrtime.bigint();
  lab.restoreDeviceDeadlines();
  for (const part of parts) part.restoreDeadlines();
  const restoreMs = msSince(t1);
  const stats = actors.stats();
  const timersHeapMb = gcAndMemory().heapUsedMb - readModelsHeapMb;
  await actors.stop();
  await runner.stop();
  await store.close();
  return { catchUpMs, events, restoreMs, readModelsHeapMb, timersHeapMb, runningActors: stats.runningActors, armedDeadlines: stats.armedDeadlines };
}

const result = mode === 'full' ? await full() : await phases();
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
