/**
 * The lab, the instant nodes and the client of bench/drydock-deploy.ts: a labpool with the test users,
 * a design folder holding the bench design, in-process hardware that answers at once, second stages
 * that report the moment their device PXE boots, and a deploy over Drydock's HTTP API.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashPassword } from '../src/identity/password-hash.js';
import type { RunningLabpool } from '../src/labpool.js';
import { observeAppends } from '../src/metrics/observed-store.js';
import type { EventStore } from '../src/store/port.js';
import { createTestInventory, startTestLab } from '../test/support/lab-harness.js';
import { send, TEST_USERS, tokenHeader } from '../test/support/locked-lab.js';
import { percentile } from './bench-row.js';

export const IMAGE = 'ubuntu';
/** Every node gets `ubuntu` and one non-signalling bootaction: issued per node, waited for by no deploy. */
const DESIGN = `schema: labpool/Design/v1
description: bench deploy; one bootaction no deploy waits for
default_image: ${IMAGE}
bootactions:
  - name: bench-motd
    signaling: false
    assets:
      - path: /etc/motd
        type: file
        permissions: "0644"
        template: "{{ node.hostname }} deployed by labpool"
`;
export const BENCH_DESIGN_REF = 'file://bench.yaml';
const POLL_MS = 20;
/** A deploy that takes longer than this has stalled: the bench fails rather than hang. */
const DEPLOY_LIMIT_MS = 120_000;

export type Deploy = { readonly ms: number; readonly successes: number; readonly failures: number; readonly status: string };

/** What the server did during one measured deploy. */
export type Measured = Deploy & {
  /** CPU of this process (server, writer thread, the in-process second stages and the polling client). */
  readonly cpuMs: number;
  /** Share of the deploy the event loop was busy: near 1 is CPU-bound, well below waits on commits. */
  readonly loopBusy: number;
  readonly appends: number;
  readonly events: number;
  /** Median time of one append, queueing for the group commit included. */
  readonly appendMs: number;
};

/** Appends seen by the store wrapper; `durationsMs` of the current deploy only. */
export type AppendLog = { appends: number; events: number; durationsMs: number[] };

/**
 * A lab of `devices` ready devices (the test harness: its hardware answers at once) with the test
 * users, the bench design, and its appends counted. DRYDOCK_SYNC=NORMAL (diagnosis only) commits
 * without waiting for the disk.
 */
export async function startLab(dir: string, nodes: number, devices: number, appendLog: AppendLog): Promise<RunningLabpool> {
  const folder = mkdtempSync(join(dir, `designs-${nodes}-`));
  writeFileSync(join(folder, 'bench.yaml'), DESIGN);
  const users = await Promise.all(TEST_USERS.map(async ({ name, password, roles }) => ({ name, hash: await hashPassword(password, 'scrypt'), roles })));
  const config = {
    store: { kind: 'sqlite', path: join(dir, `drydock-${nodes}.db`), synchronous: process.env.DRYDOCK_SYNC === 'NORMAL' ? 'NORMAL' : 'FULL' },
    actors: { snapshotEvery: 100, idleShutdownMs: 0, queryTimeoutMs: 30_000 },
    // The default: the client's polls do not each record a token use (an event).
    auth: { users, usersFile: null, tokenUseIntervalMs: 60_000 },
    drydock: { designFolder: folder },
  } as const;
  const wrapStore = (store: EventStore) =>
    observeAppends(store, (append) => {
      if (append.outcome !== 'ok') return;
      appendLog.appends += 1;
      appendLog.events += append.events;
      appendLog.durationsMs.push(append.durationS * 1000);
    });
  return (await startTestLab(createTestInventory(devices, 'bench'), { config, wrapStore })).labpool;
}

/**
 * Deploys `nodes` and polls the task until it is complete. The time runs from the POST to the task's
 * `updated` stamp (its completion; same clock, to the millisecond), so the poll interval neither
 * rounds it up nor, polled faster, takes the server's CPU.
 */
export async function deploy(url: string, token: string, nodes: readonly string[]): Promise<Deploy> {
  const node_filter = { filter_set_type: 'union', filter_set: [{ filter_type: 'union', node_names: nodes }] };
  const postedAtMs = Date.now();
  const startedMs = performance.now();
  const created = await send(url, 'POST', '/api/v1.0/tasks', { headers: tokenHeader(token), body: { action: 'deploy_nodes', design_ref: BENCH_DESIGN_REF, node_filter } });
  if (created.status !== 201) throw new Error(`POST /tasks answered ${created.status}: ${created.text}`);
  const id = String((created.body as { task_id?: unknown }).task_id);
  for (;;) {
    const shown = await send(url, 'GET', `/api/v1.0/tasks/${id}`, { headers: tokenHeader(token) });
    if (shown.status !== 200) throw new Error(`GET /tasks/${id} answered ${shown.status}: ${shown.text}`);
    const task = shown.body as { status: string; updated: string; result: { status: string; successes: string[]; failures: string[] } };
    if (task.status === 'complete') {
      const { successes, failures, status } = task.result;
      return { ms: Date.parse(task.updated) - postedAtMs, successes: successes.length, failures: failures.length, status };
    }
    if (performance.now() - startedMs > DEPLOY_LIMIT_MS) throw new Error(`deploy of ${nodes.length} node(s) not complete after ${DEPLOY_LIMIT_MS / 1000} s: ${shown.text.slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** One deploy with what the server spent on it. */
export async function measured(appendLog: AppendLog, run: () => Promise<Deploy>): Promise<Measured> {
  const before = { ...appendLog };
  appendLog.durationsMs = [];
  const cpuBefore = process.cpuUsage();
  const loopBefore = performance.eventLoopUtilization();
  const result = await run();
  const loop = performance.eventLoopUtilization(loopBefore);
  const cpu = process.cpuUsage(cpuBefore);
  return {
    ...result,
    cpuMs: (cpu.user + cpu.system) / 1000,
    loopBusy: loop.utilization,
    appends: appendLog.appends - before.appends,
    events: appendLog.events - before.events,
    appendMs: percentile([...appendLog.durationsMs], 50),
  };
}
