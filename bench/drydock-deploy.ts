/**
 * Drydock deploy: `POST /api/v1.0/tasks {action: deploy_nodes}` over 1, 10 and 100 nodes of a fresh lab
 * per size, then `GET /tasks/{id}` until the task is `complete`; the time runs from the POST to the
 * task's completion stamp. Hardware answers at once and second stages report the moment their device
 * PXE boots (bench/drydock-lab.ts); the design images every node with `ubuntu` and issues it one
 * non-signalling bootaction, so no deploy waits on an operator. SQLite file, synchronous FULL, as in
 * the other sections. Each lab first deploys one node unmeasured (JIT, caches); the small sizes
 * repeat on fresh nodes of the same lab and report the median.
 *
 * Nodes deploy in parallel, so 100 nodes should take at most 3 times one node's time. They do not on
 * this machine (2 cores; measured 2026-12-05 while five other engineers ran tests, load 8-15), and
 * the two ends are limited by different things:
 * - One node is a chain of about 27 appends one after the other (task, node task, device, bootaction,
 *   second stage, verify, results), each waiting for its own fsync: 0.1-0.3 s with FULL, 45 ms with
 *   NORMAL, where the event loop is busy three quarters of the time.
 * - 100 nodes are bound by the server's CPU: the same 0.6-1.3 s with FULL and with NORMAL (the event
 *   loop busy 96 % with NORMAL), at about 8.5 ms of process CPU per node (28 events, 16 appends),
 *   spread over the actors, the store's group commits and subscriptions, the projections and the
 *   device's state machine, none above a few per cent. Two costs of Drydock's own were most of it and
 *   are fixed: each node task parsed the design's YAML again (the loader now keeps the parse of an
 *   unchanged text) and each bootaction id drew 16 WebCrypto bytes one at a time (now from a pool);
 *   together they took CPU per node from 12-16 ms to 8.3-8.7 ms and the 100-node deploy from
 *   1.0-2.4 s to 0.6-1.3 s (NORMAL, same machine, alternating runs).
 * So the ratio is about (100 × CPU per node) / (one node's chain of fsyncs): it meets 3 only with
 * a fast disk and a CPU per node near 2 ms.
 *
 * For diagnosis: DRYDOCK_SIZES=1,100 runs those sizes, DRYDOCK_SYNC=NORMAL commits without fsync,
 * DRYDOCK_PROFILE=<folder> writes a CPU profile of each measured deploy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTokenOf } from '../test/support/locked-lab.js';
import { meets, percentile, type BenchRow, type BenchSection } from './bench-row.js';
import { profiled } from './cpu-profile.js';
import { driveSecondStages } from './instant-second-stages.js';
import { deploy, IMAGE, measured, startLab, type AppendLog, type Measured } from './drydock-lab.js';

const RATIO_TARGET = '<= 3';

type Size = { readonly nodes: number; readonly repeats: number };
const FULL_RUN: readonly Size[] = [
  { nodes: 1, repeats: 5 },
  { nodes: 10, repeats: 3 },
  { nodes: 100, repeats: 1 },
];
const QUICK_RUN: readonly Size[] = [
  { nodes: 1, repeats: 3 },
  { nodes: 10, repeats: 1 },
];
/** For profiling only: DRYDOCK_SIZES=100 runs just these sizes (with the full run's repeats). */
const sizesOverride = process.env.DRYDOCK_SIZES?.split(',').map(Number);

/** A fresh lab with one node for the warm-up and `repeats` sets of `nodes` fresh nodes; the deploys of each set. */
async function measureSize(size: Size, dir: string): Promise<Measured[]> {
  const appendLog: AppendLog = { appends: 0, events: 0, durationsMs: [] };
  const devices = 1 + size.nodes * size.repeats;
  const labpool = await startLab(dir, size.nodes, devices, appendLog);
  const stages = driveSecondStages(labpool, IMAGE);
  try {
    const names = Array.from({ length: devices }, (_, i) => `bench-${String(i + 1).padStart(4, '0')}`);
    const token = await createTokenOf(labpool.url, 'otto');
    await deploy(labpool.url, token, names.slice(0, 1));
    const deploys: Measured[] = [];
    for (let round = 0; round < size.repeats; round++) {
      const nodes = names.slice(1 + round * size.nodes, 1 + (round + 1) * size.nodes);
      deploys.push(await profiled(process.env.DRYDOCK_PROFILE, `drydock-${size.nodes}-${round}`, () => measured(appendLog, () => deploy(labpool.url, token, nodes))));
    }
    return deploys;
  } finally {
    await stages.close();
    await labpool.stop();
  }
}

function median(values: readonly number[]): number {
  return percentile([...values], 50);
}

/** The rows of one size: time, nodes not deployed, and where the time went (medians over the repeats). */
function rowsOfSize(size: Size, deploys: readonly Measured[]): BenchRow[] {
  const label = `${size.nodes} node${size.nodes === 1 ? '' : 's'}`;
  const of = (pick: (each: Measured) => number) => median(deploys.map(pick));
  const failed = deploys.reduce((sum, each) => sum + (size.nodes - each.successes), 0);
  const repeats = size.repeats > 1 ? `, median of ${size.repeats}` : '';
  const spent: readonly (readonly [string, (each: Measured) => number, string])[] = [
    ['process CPU per node', (each) => each.cpuMs / size.nodes, 'ms'],
    ['event loop busy', (each) => each.loopBusy * 100, '%'],
    ['events appended per node', (each) => each.events / size.nodes, 'events'],
    ['appends per node', (each) => each.appends / size.nodes, 'appends'],
    ['append p50, group commit wait included', (each) => each.appendMs, 'ms'],
  ];
  return [
    { section: 'drydock', metric: `deploy_nodes to complete (${label}${repeats})`, value: of((each) => each.ms) / 1000, unit: 's' },
    { section: 'drydock', metric: `nodes not deployed (${label}, ${size.repeats} deploy${size.repeats === 1 ? '' : 's'})`, value: failed, unit: 'nodes', target: '<= 0', met: failed === 0 },
    ...spent.map(([metric, pick, unit]): BenchRow => ({ section: 'drydock', metric: `${metric} (${label})`, value: of(pick), unit })),
  ];
}

export const drydockDeploy: BenchSection = async ({ quick }) => {
  const chosen = quick ? QUICK_RUN : FULL_RUN;
  const sizes = sizesOverride === undefined ? chosen : FULL_RUN.filter((size) => sizesOverride.includes(size.nodes));
  const dir = mkdtempSync(join(tmpdir(), 'labpool-drydock-'));
  const rows: BenchRow[] = [];
  const seconds = new Map<number, number>();
  try {
    for (const size of sizes) {
      process.stderr.write(`bench: drydock deploy of ${size.nodes} node(s)…\n`);
      const deploys = await measureSize(size, dir);
      seconds.set(size.nodes, median(deploys.map((each) => each.ms)) / 1000);
      rows.push(...rowsOfSize(size, deploys));
      const odd = deploys.find((each) => each.status !== 'success' || each.failures > 0);
      if (odd !== undefined) process.stderr.write(`bench: drydock deploy of ${size.nodes} node(s): result ${odd.status}, ${odd.successes} successes, ${odd.failures} failures\n`);
    }
    const one = seconds.get(1);
    for (const [nodes, time] of seconds) {
      if (nodes === 1 || one === undefined) continue;
      const ratio = time / one;
      const target = nodes === 100 ? RATIO_TARGET : undefined;
      rows.push({
        section: 'drydock',
        metric: `deploy time, ${nodes} nodes / 1 node`,
        value: ratio,
        unit: '×',
        reference: { label: '1 node, s', value: one },
        ratio,
        ...(target === undefined ? {} : { target, met: meets(ratio, target) }),
      });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

// `tsx bench/drydock-deploy.ts [--quick]` runs this section alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await drydockDeploy({ quick: process.argv.includes('--quick') });
  console.table(rows.map((row) => ({ metric: row.metric, value: Math.round(row.value * 1000) / 1000, unit: row.unit, target: row.target ?? '', met: row.met ?? '' })));
}
