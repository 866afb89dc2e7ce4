/**
 * The vmpooler bench's load process: `clients` closed-loop HTTP clients on keep-alive connections,
 * each checking out one host (`POST /api/v1/vm/<pool>`) and deleting it (`DELETE /api/v1/vm/<host>`),
 * in turn. It runs out of the server's process, as vmfloaty and CI jobs would, so the server keeps
 * its own core. IPC: the parent sends a {@link CycleJob}; this process answers with a {@link CycleResult}.
 */
import { Agent, request } from 'node:http';

export interface CycleJob {
  readonly url: string;
  readonly pool: string;
  readonly clients: number;
  /** Start no more cycles than this, so the ready set never runs out (refill is not measured). */
  readonly maxCycles: number;
  /** Start no cycle after this long. */
  readonly maxMs: number;
}

export interface CycleResult {
  readonly cycles: number;
  readonly seconds: number;
  readonly checkoutMs: readonly number[];
  readonly failures: number;
  readonly firstFailure?: string;
}

function call(agent: Agent, url: URL, method: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: url.hostname, port: url.port, method, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

export async function runCycles(job: CycleJob): Promise<CycleResult> {
  const url = new URL(job.url);
  const agent = new Agent({ keepAlive: true, maxSockets: job.clients });
  const checkoutMs: number[] = [];
  let started = 0;
  let cycles = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const fail = (what: string) => {
    failures += 1;
    firstFailure ??= what;
  };
  const begin = performance.now();
  const end = begin + job.maxMs;
  await Promise.all(
    Array.from({ length: job.clients }, async () => {
      while (started < job.maxCycles && performance.now() < end) {
        started += 1;
        const sent = performance.now();
        const checkout = await call(agent, url, 'POST', `/api/v1/vm/${job.pool}`);
        checkoutMs.push(performance.now() - sent);
        if (checkout.status !== 200) {
          fail(`checkout ${checkout.status} ${checkout.body}`);
          continue;
        }
        const { hostname } = (JSON.parse(checkout.body) as Record<string, { hostname: string }>)[job.pool]!;
        const deleted = await call(agent, url, 'DELETE', `/api/v1/vm/${hostname}`);
        if (deleted.status !== 200) fail(`delete ${deleted.status} ${deleted.body}`);
        else cycles += 1;
      }
    }),
  );
  const seconds = (performance.now() - begin) / 1000;
  agent.destroy();
  return { cycles, seconds, checkoutMs, failures, ...(firstFailure === undefined ? {} : { firstFailure }) };
}

if (process.send !== undefined) {
  process.on('message', (message: CycleJob | { exit: true }) => {
    if ('exit' in message) {
      process.disconnect();
      return;
    }
    runCycles(message).then(
      (result) => process.send!({ result }),
      (error: unknown) => process.send!({ error: String((error as Error).stack ?? error) }),
    );
  });
  process.send({ ready: true });
}
