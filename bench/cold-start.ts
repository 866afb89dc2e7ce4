/**
 * Cold start and memory (issue 6, sections 5 and 6): labpool started on a store of N devices × 20
 * events, with and without snapshots, each start in a child process of its own (its RSS is its own).
 * Full size 100,000 devices / 2,000,000 events; quick size 10,000 / 200,000. The stores are
 * generated once and cached in os.tmpdir() (see cold-start-store.ts): generation is not measured.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { meets, type BenchRow, type BenchSection } from './bench-row.js';
import { benchStores, EVENTS_PER_DEVICE } from './cold-start-store.js';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('./cold-start-child.ts', import.meta.url));

type FullResult = {
  startMs: number;
  listMs: number;
  runningActors: number;
  armedDeadlines: number;
  firstMessageP50Ms: number;
  firstMessageP99Ms: number;
  sampled: number;
  rssMb: number;
  heapUsedMb: number;
  gc: boolean;
};
type PhasesResult = { catchUpMs: number; events: number; restoreMs: number; readModelsHeapMb: number; timersHeapMb: number; runningActors: number; armedDeadlines: number };

async function child<Result>(mode: 'full' | 'phases', path: string, devices: number): Promise<Result> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--expose-gc', '--max-old-space-size=4096', CHILD, mode, path, String(devices)], {
    maxBuffer: 1 << 20,
    timeout: 600_000,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Result;
}

function row(section: string, metric: string, value: number, unit: string, target?: string): BenchRow {
  return target === undefined ? { section, metric, value, unit } : { section, metric, value, unit, target, met: meets(value, target) };
}

export const coldStartAndMemory: BenchSection = async ({ quick }) => {
  const devices = quick ? 10_000 : 100_000;
  const events = devices * EVENTS_PER_DEVICE;
  const size = `${devices.toLocaleString('en')} devices / ${events.toLocaleString('en')} events${quick ? ' (quick size; target is for 100,000 / 2,000,000)' : ''}`;
  const stores = await benchStores(devices);
  const rows: BenchRow[] = [];
  for (const [label, path] of [
    ['without snapshots', stores.plain],
    ['with snapshots', stores.snapshots],
  ] as const) {
    const phases = await child<PhasesResult>('phases', path, devices);
    const started = await child<FullResult>('full', path, devices);
    if (phases.events !== events) throw new Error(`${path}: ${phases.events} events, expected ${events}`);
    // Every generated device ends in `ready` with its re-verify deadline: each must be armed again, without loading actors.
    if (phases.armedDeadlines !== devices || started.armedDeadlines !== devices)
      throw new Error(`${label}: ${Math.min(phases.armedDeadlines, started.armedDeadlines)} deadlines armed for ${devices} devices`);
    rows.push(
      row('cold start', `start to full device list, ${label}, ${size}`, started.listMs / 1000, 's', quick ? undefined : '<= 10'),
      row('cold start', `  of which startLabpool(), ${label}`, started.startMs / 1000, 's'),
      row('cold start', `  projection catch-up alone, ${label}`, phases.catchUpMs / 1000, 's'),
      row('cold start', `  restoring ${phases.armedDeadlines} deadlines alone (${phases.runningActors} actors loaded), ${label}`, phases.restoreMs / 1000, 's'),
      row('cold start', `  then a first message to ${started.sampled} unloaded device actors, p50, ${label}`, started.firstMessageP50Ms, 'ms'),
      row('cold start', `  then a first message to ${started.sampled} unloaded device actors, p99, ${label}`, started.firstMessageP99Ms, 'ms'),
    );
    if (label === 'without snapshots') {
      rows.push(row('cold start', `projection catch-up, ${size}`, events / (phases.catchUpMs / 1000), 'events/s', '>= 200000'));
    }
    rows.push(row('memory', `RSS after start${started.gc ? ' and GC' : ''}, ${label}, ${size}`, started.rssMb, 'MB', quick ? undefined : '<= 1536'));
    rows.push(row('memory', `  heap used, ${label}`, started.heapUsedMb, 'MB'));
    rows.push(row('memory', `    of which read models and deadline indexes (after catch-up), ${label}`, phases.readModelsHeapMb, 'MB'));
    rows.push(row('memory', `    heap change from restoring deadlines (timers armed, indexes released), ${label}`, phases.timersHeapMb, 'MB'));
  }
  return rows;
};

// `node --import tsx bench/cold-start.ts [--quick]` runs this section alone.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await coldStartAndMemory({ quick: process.argv.includes('--quick') });
  for (const r of rows)
    console.log(`${r.section.padEnd(11)} ${r.metric.padEnd(100)} ${r.value.toFixed(2).padStart(12)} ${r.unit}${r.target ? `  target ${r.target} ${r.met ? 'met' : 'MISSED'}` : ''}`);
}
