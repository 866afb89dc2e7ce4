/**
 * `npx tsx bench/tail-load.ts [--tails 100] [--requests 300]`: does a crowd of live event tails slow
 * command handling? Runs a test lab (fake hardware, SQLite file, synchronous=NORMAL) and times
 * sequential `POST /api/device/<d>/set-comments/` (each appends one event and waits for the
 * projections) with no tail, then with N unfiltered SSE tails reading in another process, then
 * with none again. A measurement, printed; nothing is asserted. Not part of `npm test`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createTestInventory, startTestLab, type TestLab } from '../test/support/lab-harness.js';

interface Rate {
  readonly phase: string;
  readonly requests: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

const DEVICES = 4;

function percentile(sortedMs: readonly number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1)] ?? NaN;
}

async function setComments(lab: TestLab, i: number): Promise<void> {
  const device = `panda-${String((i % DEVICES) + 1).padStart(4, '0')}`;
  const response = await fetch(`${lab.url}/api/device/${device}/set-comments/`, { method: 'POST', body: JSON.stringify({ comments: `bench ${i}` }) });
  if (response.status !== 200) throw new Error(`set-comments answered ${response.status}`);
  await response.arrayBuffer();
}

async function measure(lab: TestLab, phase: string, requests: number): Promise<Rate> {
  const latenciesMs: number[] = [];
  const started = performance.now();
  for (let i = 0; i < requests; i += 1) {
    const sent = performance.now();
    await setComments(lab, i);
    latenciesMs.push(performance.now() - sent);
  }
  const seconds = (performance.now() - started) / 1000;
  latenciesMs.sort((a, b) => a - b);
  return { phase, requests, perSecond: requests / seconds, p50Ms: percentile(latenciesMs, 50), p99Ms: percentile(latenciesMs, 99) };
}

async function ask<T>(child: ChildProcess, request: object, answerKey: string): Promise<T> {
  const answer = new Promise<T>((resolve) => {
    const onMessage = (message: Record<string, unknown>) => {
      if (!(answerKey in message)) return;
      child.off('message', onMessage);
      resolve(message[answerKey] as T);
    };
    child.on('message', onMessage);
  });
  child.send(request);
  return answer;
}

/** Waits until every tail has received `expected` events; returns how long the slowest took after the last command. */
async function waitForDelivery(child: ChildProcess, expected: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const received = await ask<number[]>(child, { report: true }, 'received');
    if (received.every((count) => count >= expected)) return performance.now() - started;
    if (performance.now() - started > 60_000) throw new Error(`tails stuck at ${Math.min(...received)} of ${expected} events`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function print(rates: readonly Rate[]): void {
  console.log('phase                         requests  req/s   p50 ms  p99 ms');
  for (const rate of rates) {
    console.log(`${rate.phase.padEnd(30)}${String(rate.requests).padStart(8)}${rate.perSecond.toFixed(0).padStart(7)}${rate.p50Ms.toFixed(2).padStart(9)}${rate.p99Ms.toFixed(2).padStart(8)}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { tails: { type: 'string', default: '100' }, requests: { type: 'string', default: '300' } } });
  const tails = Number(values.tails);
  const requests = Number(values.requests);
  const dir = mkdtempSync(join(tmpdir(), 'labpool-tail-load-'));
  const lab = await startTestLab(createTestInventory(DEVICES), {
    // Every tail comes from this machine's one address: the cap per client must let them all in.
    config: { http: { host: '127.0.0.1', port: 0, maxTailsPerClient: tails }, store: { kind: 'sqlite', path: join(dir, 'events.db'), synchronous: 'NORMAL' } },
  });
  const child = fork(new URL('./tail-clients.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
  try {
    await measure(lab, 'warm-up', 500);
    const rates = [await measure(lab, 'no tails', requests)];
    await ask(child, { open: { url: `${lab.url}/api/events/`, count: tails } }, 'opened');
    rates.push(await measure(lab, `${tails} tails (all events)`, requests));
    const catchUpMs = await waitForDelivery(child, requests);
    child.send({ close: true });
    await once(child, 'exit');
    rates.push(await measure(lab, 'no tails again', requests));
    print(rates);
    console.log(`every one of the ${tails} tails received all ${requests} events; the slowest had them ${catchUpMs.toFixed(0)} ms after the last reply`);
  } finally {
    if (child.exitCode === null) child.kill();
    await lab.labpool.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
