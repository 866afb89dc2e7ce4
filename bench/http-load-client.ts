/**
 * The load generator of bench/http-section.ts and bench/queries-section.ts, in its own process so that
 * the server under test keeps its own core. Keep-alive HTTP/1.1 GETs on raw TCP sockets (one request
 * in flight per connection, responses framed by Content-Length): far cheaper per request than
 * node:http's client, so the client is not what limits the rate.
 *
 * IPC: the parent sends a {@link LoadJob}, this process answers with a {@link LoadResult} per job and
 * exits on `{ exit: true }`.
 */
import { connect, type Socket } from 'node:net';

export interface LoadJob {
  readonly host: string;
  readonly port: number;
  /** Paths requested in turn; connection `i` starts at path `i`. */
  readonly paths: readonly string[];
  readonly connections: number;
  /** Measured time (after `warmupMs`, which is not measured). */
  readonly durationMs: number;
  readonly warmupMs: number;
  /** Total requests per second over all connections; closed loop (as fast as answers come) when absent. */
  readonly ratePerSecond?: number;
  /** Stop after this many measured requests (queries: large responses). */
  readonly maxRequests?: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Body size of the last response. */
  readonly bodyBytes: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');

function percentileOf(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** One keep-alive connection: `get(path)` resolves with status and body length when the whole response is in. */
function openConnection(host: string, port: number): Promise<{ get(path: string): Promise<{ status: number; bodyBytes: number }>; close(): void }> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host, port, noDelay: true });
    let chunks: Buffer[] = [];
    let received = 0;
    let waiting: ((response: { status: number; bodyBytes: number }) => void) | undefined;
    let failing: ((error: Error) => void) | undefined;
    let expectedTotal = -1;
    let status = 0;
    let bodyBytes = 0;

    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (expectedTotal < 0) {
        const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        chunks = [all];
        const end = all.indexOf(HEADER_END);
        if (end < 0) return;
        const head = all.toString('latin1', 0, end);
        status = Number(head.slice(9, 12));
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        if (!length) {
          failing?.(new Error(`response without Content-Length: ${head.slice(0, 200)}`));
          return;
        }
        bodyBytes = Number(length[1]);
        expectedTotal = end + 4 + bodyBytes;
      }
      if (received >= expectedTotal) {
        if (received > expectedTotal) failing?.(new Error('more bytes than one response (pipelining is not used)'));
        chunks = [];
        received = 0;
        expectedTotal = -1;
        const done = waiting;
        waiting = undefined;
        done?.({ status, bodyBytes });
      }
    });
    socket.once('connect', () =>
      resolve({
        get(path) {
          return new Promise((resolveGet, rejectGet) => {
            waiting = resolveGet;
            failing = rejectGet;
            socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nConnection: keep-alive\r\n\r\n`);
          });
        },
        close: () => socket.destroy(),
      }),
    );
    socket.on('error', (error) => (failing ? failing(error) : reject(error)));
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const connections = await Promise.all(Array.from({ length: job.connections }, () => openConnection(job.host, job.port)));
  const latencies: number[] = [];
  let errors = 0;
  let bodyBytes = 0;
  let measuring = false;
  let requests = 0;
  const warmupEnd = performance.now() + job.warmupMs;
  const end = warmupEnd + job.durationMs;
  const interval = job.ratePerSecond === undefined ? 0 : (1000 * job.connections) / job.ratePerSecond;
  const limitReached = () => job.maxRequests !== undefined && requests >= job.maxRequests;
  await Promise.all(
    connections.map(async (connection, i) => {
      // Paced connections start spread over one interval, so the offered load is even.
      let next = performance.now() + (interval * i) / job.connections;
      for (let k = i; ; k++) {
        if (interval > 0) {
          const wait = next - performance.now();
          if (wait > 0) await sleep(wait);
          next += interval;
        }
        const sent = performance.now();
        if (sent >= end || limitReached()) return;
        const response = await connection.get(job.paths[k % job.paths.length]!);
        const done = performance.now();
        if (sent >= warmupEnd && done <= end) {
          measuring = true;
          requests += 1;
          latencies.push(done - sent);
          bodyBytes = response.bodyBytes;
          if (response.status !== 200) errors += 1;
        }
      }
    }),
  );
  for (const connection of connections) connection.close();
  const seconds = measuring ? (Math.min(performance.now(), end) - warmupEnd) / 1000 : Number.NaN;
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests,
    errors,
    seconds,
    requestsPerSecond: requests / seconds,
    p50Ms: percentileOf(sorted, 50),
    p99Ms: percentileOf(sorted, 99),
    maxMs: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    bodyBytes,
  };
}

if (process.send !== undefined) {
  process.on('message', (message: LoadJob | { exit: true }) => {
    if ('exit' in message) {
      process.disconnect();
      return;
    }
    runLoad(message).then(
      (result) => process.send!({ result }),
      (error: unknown) => process.send!({ error: String((error as Error).stack ?? error) }),
    );
  });
  process.send({ ready: true });
}
