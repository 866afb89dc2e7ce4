import { connect, type Socket } from 'node:net';

/** Latency of ordinary requests without and during abuse, and how the abusers fared. */
export type AbuseReport = {
  readonly baseline: { readonly p50Ms: number; readonly p99Ms: number };
  readonly abused: { readonly p50Ms: number; readonly p99Ms: number };
  /** Connections sending their headers a byte at a time, and those the server had closed by the end. */
  readonly slowOpened: number;
  readonly slowClosed: number;
  /** Event tails asked for from one address, and those refused with 429. */
  readonly tailsAsked: number;
  readonly tailsRefused: number;
  /** Every answer to the tails, by status (200 streams, 429 refusals). */
  readonly tailStatuses: Readonly<Record<string, number>>;
  /** Tails the server ended during the run (each frees a place another may take). */
  readonly tailsEnded: number;
};

const SLOW_HEADER_CLIENTS = 200;
const TAILS_ASKED = 64;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Ordinary requests one after another (a device's status), `count` of them or until `untilMs`: their latencies. */
async function measure(url: string, path: string, count: number, untilMs = 0): Promise<{ p50Ms: number; p99Ms: number }> {
  const latencies: number[] = [];
  for (let i = 0; i < count || Date.now() < untilMs; i++) {
    const started = performance.now();
    const response = await fetch(`${url}${path}`);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${path} answered ${response.status} during the abuse run`);
    latencies.push(performance.now() - started);
  }
  return { p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

/**
 * Slow and abusive clients against a running server: 200 connections sending their headers a byte
 * every 100 ms, 20 sending a body that way, and 64 event tails from one address (the cap is 32). The
 * ordinary requests of another client are timed before, and during it for `abuseMs` (long enough
 * to see the server cut the slow senders: its headers timeout is 10 s).
 */
export async function runAbuse(url: string, path: string, requests = 400, abuseMs = 12_000): Promise<AbuseReport> {
  const { hostname, port } = new URL(url);
  const baseline = await measure(url, path, requests);
  const sockets: Socket[] = [];
  let closed = 0;
  const open = (first: string, drip: string, counted: boolean) => {
    const socket = connect(Number(port), hostname);
    socket.on('error', () => undefined);
    if (counted) socket.on('close', () => closed++);
    socket.on('connect', () => socket.write(first));
    const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write(drip)), 100);
    socket.on('close', () => clearInterval(timer));
    sockets.push(socket);
  };
  const started = Date.now();
  for (let i = 0; i < SLOW_HEADER_CLIENTS; i++) open('GET /api/device/list/ HTTP/1.1\r\nHost: x\r\n', 'X', true);
  for (let i = 0; i < 20; i++) open(`POST /api/device/any/request/ HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{`, ' ', false);
  /** Tails the server ended before the run did: their place may go to another. */
  let tailsEnded = 0;
  const tails = await Promise.all(
    Array.from({ length: TAILS_ASKED }, async () => {
      const controller = new AbortController();
      const response = await fetch(`${url}/api/events/`, { signal: controller.signal });
      if (response.status !== 200) await response.arrayBuffer();
      else {
        // Read the stream until it ends; the abort at the end of the run is not an end.
        void (async () => {
          for await (const _chunk of response.body!) void _chunk;
          if (!controller.signal.aborted) tailsEnded++;
        })().catch(() => undefined);
      }
      return { status: response.status, close: () => controller.abort() };
    }),
  );
  try {
    const abused = await measure(url, path, 0, started + abuseMs);
    return {
      baseline,
      abused,
      slowOpened: SLOW_HEADER_CLIENTS,
      slowClosed: closed,
      tailsAsked: tails.length,
      tailsRefused: tails.filter((tail) => tail.status === 429).length,
      tailsEnded,
      tailStatuses: tails.reduce<Record<string, number>>((counts, tail) => ({ ...counts, [tail.status]: (counts[tail.status] ?? 0) + 1 }), {}),
    };
  } finally {
    for (const tail of tails) tail.close();
    for (const socket of sockets) socket.destroy();
  }
}
