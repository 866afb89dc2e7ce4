/**
 * Section 2, HTTP: `GET /api/device/{id}/status/` of a real labpool (50 devices, fake hardware) against
 * a bare koa "hello" route, the HTTP limit of this machine, both served from this process while the
 * 200 clients run in another process (bench/http-load-client.ts) so the server keeps its own core.
 *
 * Two loads each: saturated (200 connections, closed loop: the maximum rate; latency there is mostly
 * queueing, by Little's law ≈ 200 / rate) and paced (the same 200 connections offering half the
 * route's own maximum rate, so latency is the time to serve a request, not the queue; and a light
 * load, each client polling 10 times a second). The p99 target is read at the paced loads, the rate
 * target at saturation; the bare route at the same paced loads is the latency floor of this machine.
 */
import Koa from 'koa';
import { listen, type ListeningServer } from '../src/http/server.js';
import { createTestInventory, startTestLab } from '../test/support/lab-harness.js';
import type { BenchRow, BenchSection } from './bench-row.js';
import type { LoadJob, LoadResult } from './http-load-client.js';
import { startLoadProcess, type LoadProcess } from './load-process.js';

const CLIENTS = 200;
const DEVICES = 50;
/** The paced load, as a fraction of the route's measured maximum rate. */
const PACED_FRACTION = 0.5;
/** A light load: each of the 200 clients polls 10 times a second. */
const LIGHT_RATE = CLIENTS * 10;
/** Not measured: the server settles from the previous load (its garbage collected) before a paced run. */
const PACED_WARMUP_MS = 500;

async function startHello(): Promise<ListeningServer> {
  const app = new Koa();
  app.use((ctx) => {
    ctx.body = 'hello';
  });
  return listen(app, '127.0.0.1', 0);
}

interface RouteRun {
  readonly saturated: LoadResult;
  readonly paced: LoadResult;
  readonly pacedRate: number;
  readonly light: LoadResult;
}

function jobFor(url: string, paths: readonly string[], ms: number): Omit<LoadJob, 'warmupMs'> {
  const { hostname, port } = new URL(url);
  return { host: hostname, port: Number(port), paths, connections: CLIENTS, durationMs: ms };
}

function checked(paths: readonly string[], run: LoadResult): LoadResult {
  if (run.errors > 0) throw new Error(`${paths[0]}: ${run.errors} of ${run.requests} answers were not 200`);
  return run;
}

/** The closed-loop maximum: every connection asks again as soon as it is answered. */
async function measureSaturated(load: LoadProcess, url: string, paths: readonly string[], ms: number): Promise<LoadResult> {
  return checked(paths, await load.run({ ...jobFor(url, paths, ms), warmupMs: Math.min(500, ms / 3) }));
}

/** The two paced loads: `pacedRate` and the light one. */
async function measurePaced(load: LoadProcess, url: string, paths: readonly string[], ms: number, pacedRate: number): Promise<Omit<RouteRun, 'saturated'>> {
  const paced = checked(paths, await load.run({ ...jobFor(url, paths, ms), warmupMs: PACED_WARMUP_MS, ratePerSecond: pacedRate }));
  const light = checked(paths, await load.run({ ...jobFor(url, paths, ms), warmupMs: PACED_WARMUP_MS, ratePerSecond: LIGHT_RATE }));
  return { paced, pacedRate, light };
}

/** Several rounds' results as one: the rate over all of them, the mean of their percentiles. */
function combine(runs: readonly LoadResult[]): LoadResult {
  const requests = runs.reduce((sum, run) => sum + run.requests, 0);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  const mean = (pick: (run: LoadResult) => number) => runs.reduce((sum, run) => sum + pick(run), 0) / runs.length;
  return {
    requests,
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    seconds,
    requestsPerSecond: requests / seconds,
    p50Ms: mean((run) => run.p50Ms),
    p99Ms: mean((run) => run.p99Ms),
    maxMs: Math.max(...runs.map((run) => run.maxMs)),
    bodyBytes: runs.at(-1)?.bodyBytes ?? 0,
  };
}

export const httpSection: BenchSection = async ({ quick }) => {
  const ms = quick ? 1_200 : 5_000;
  // The machine is shared: the bare route and labpool are measured in alternating rounds, so both see the same conditions.
  const rounds = quick ? 2 : 4;
  const load = await startLoadProcess();
  const hello = await startHello();
  const lab = await startTestLab(createTestInventory(DEVICES));
  let koa: RouteRun;
  let status: RouteRun;
  try {
    const paths = createTestInventory(DEVICES).devices.map((device) => `/api/device/${device.name}/status/`);
    const koaSaturated: LoadResult[] = [];
    const statusSaturated: LoadResult[] = [];
    for (let round = 0; round < rounds; round++) {
      koaSaturated.push(await measureSaturated(load, hello.url, ['/'], ms / rounds));
      statusSaturated.push(await measureSaturated(load, lab.url, paths, ms / rounds));
    }
    const statusMax = combine(statusSaturated);
    const statusPaced = await measurePaced(load, lab.url, paths, ms, statusMax.requestsPerSecond * PACED_FRACTION);
    // The bare route at the status route's paced rates: the latency floor at that load.
    const koaPaced = await measurePaced(load, hello.url, ['/'], ms, statusPaced.pacedRate);
    koa = { saturated: combine(koaSaturated), ...koaPaced };
    status = { saturated: statusMax, ...statusPaced };
  } finally {
    await lab.labpool.stop();
    await hello.close();
    await load.close();
  }
  const koaAtStatusPace = koa;
  const pace = `${Math.round(status.pacedRate).toLocaleString('en-US')} req/s offered (half its max)`;
  const light = `${LIGHT_RATE.toLocaleString('en-US')} req/s offered (10/s each)`;
  const rows: BenchRow[] = [
    { section: 'http', metric: `bare koa hello, ${CLIENTS} clients, saturated: rate`, value: koa.saturated.requestsPerSecond, unit: 'req/s' },
    { section: 'http', metric: `bare koa hello, ${CLIENTS} clients, saturated: p50`, value: koa.saturated.p50Ms, unit: 'ms' },
    { section: 'http', metric: `bare koa hello, ${CLIENTS} clients, saturated: p99`, value: koa.saturated.p99Ms, unit: 'ms' },
    {
      section: 'http',
      metric: `device status, ${CLIENTS} clients, saturated: rate`,
      value: status.saturated.requestsPerSecond,
      unit: 'req/s',
      reference: { label: 'bare koa', value: koa.saturated.requestsPerSecond },
      target: `>= ${Math.round(koa.saturated.requestsPerSecond * 0.5)}`,
    },
    { section: 'http', metric: `device status, ${CLIENTS} clients, saturated: p50`, value: status.saturated.p50Ms, unit: 'ms', reference: { label: 'bare koa', value: koa.saturated.p50Ms } },
    { section: 'http', metric: `device status, ${CLIENTS} clients, saturated: p99`, value: status.saturated.p99Ms, unit: 'ms', reference: { label: 'bare koa', value: koa.saturated.p99Ms } },
    {
      section: 'http',
      metric: `device status, ${CLIENTS} clients, ${pace}: p50`,
      value: status.paced.p50Ms,
      unit: 'ms',
      reference: { label: 'bare koa, same load', value: koaAtStatusPace.paced.p50Ms },
    },
    {
      section: 'http',
      metric: `device status, ${CLIENTS} clients, ${pace}: p99`,
      value: status.paced.p99Ms,
      unit: 'ms',
      reference: { label: 'bare koa, same load', value: koaAtStatusPace.paced.p99Ms },
      target: '<= 2',
    },
    {
      section: 'http',
      metric: `device status, ${CLIENTS} clients, ${light}: p50`,
      value: status.light.p50Ms,
      unit: 'ms',
      reference: { label: 'bare koa, same load', value: koaAtStatusPace.light.p50Ms },
    },
    {
      section: 'http',
      metric: `device status, ${CLIENTS} clients, ${light}: p99`,
      value: status.light.p99Ms,
      unit: 'ms',
      reference: { label: 'bare koa, same load', value: koaAtStatusPace.light.p99Ms },
      target: '<= 2',
    },
  ];
  return rows;
};
