import type { ServerResponse } from 'node:http';
import type { Router } from '@koa/router';
import type { EventStore, LogPosition } from '../../store/port.js';
import type { RegisterRoutes } from '../routes.js';
import { httpError } from '../errors.js';
import { matchesSelection, parseTailQuery, toLogFilter, type EventSelection } from './event-selection.js';
import { findLastPosition, sseMessageOf } from './event-wire.js';
import { openSseStream, type SseStreamOptions } from './sse-stream.js';

/** What the event tail needs. */
export interface EventTailDeps {
  readonly store: EventStore;
  /**
   * The end of the log as this server knows it (its projections' position): where a tail without
   * `from` starts. Without it the route finds the end by reading the log.
   */
  readonly logHead?: () => LogPosition;
  /** Defaults: a heartbeat every 15 s, a client that reads nothing for 30 s is dropped, writes batched over 20 ms. */
  readonly sse?: Partial<SseStreamOptions>;
  /** Tails open at once from one client address (default {@link DEFAULT_MAX_TAILS_PER_CLIENT}); more get 429. */
  readonly maxTailsPerClient?: number;
}

/**
 * Each tail holds a store subscription and a socket: one address may not open them without end.
 * A dashboard uses one; 32 leave room for many tabs and `labpool tail`s. Behind a reverse proxy every
 * client has the proxy's address: raise it there (`http.maxTailsPerClient`).
 */
export const DEFAULT_MAX_TAILS_PER_CLIENT = 32;

const DEFAULT_SSE_OPTIONS: SseStreamOptions = { heartbeatMs: 15_000, stallMs: 30_000, batchMs: 20 };

/** How long an EventSource waits before reconnecting (with `Last-Event-ID`) after the stream drops. */
const RECONNECT_DELAY_MS = 2_000;

/**
 * `GET /api/events/`: the global log as Server-Sent Events, filtered by `category`, `device`,
 * `request` and `type`, from `from` (or `Last-Event-ID`), else live from the end of the log.
 * Every client gets its own store subscription, closed when the client leaves.
 */
export function registerEventRoutes(router: Router, deps: EventTailDeps): void {
  const sseOptions = { ...DEFAULT_SSE_OPTIONS, ...deps.sse };
  const maxTails = deps.maxTailsPerClient ?? DEFAULT_MAX_TAILS_PER_CLIENT;
  /** Open tails by client address; an address leaves the map with its last tail. */
  const openTails = new Map<string, number>();
  router.get('/api/events{/}', async (ctx) => {
    const parsed = parseTailQuery(ctx.query, ctx.get('Last-Event-ID') || undefined);
    if (!parsed.ok) throw httpError(400, parsed.message);
    const address = ctx.ip;
    const open = openTails.get(address) ?? 0;
    if (open >= maxTails) {
      throw httpError(429, `${address} has ${open} event tails open, the most one client may: close one first`, { headers: { 'Retry-After': String(RECONNECT_DELAY_MS / 1_000) } });
    }
    openTails.set(address, open + 1);
    try {
      const { selection } = parsed.value;
      const from = parsed.value.from ?? deps.logHead?.() ?? (await findLastPosition(deps.store, toLogFilter(selection)));
      ctx.status = 200;
      // koa must neither buffer nor end this response: the stream writes to the socket itself.
      ctx.respond = false;
      await streamEvents(ctx.res, deps.store, from, selection, sseOptions);
    } finally {
      const left = openTails.get(address)! - 1;
      if (left === 0) openTails.delete(address);
      else openTails.set(address, left);
    }
  });
}

function markExposed(error: Error): void {
  Object.assign(error, { expose: true });
}

async function streamEvents(res: ServerResponse, store: EventStore, from: LogPosition, selection: EventSelection, options: SseStreamOptions): Promise<void> {
  // An id-only message sets the client's Last-Event-ID, so a reconnect before any event resumes here.
  const sse = openSseStream(res, options, `retry: ${RECONNECT_DELAY_MS}\nid: ${String(from)}\n\n`);
  // A tail's client leaving mid-write (a closed tab, ^C) is its normal end; koa logs unexposed socket errors.
  const socket = res.socket;
  socket?.prependListener('error', markExposed);
  const subscription = store.subscribeToAll(
    from,
    {
      // Awaiting a full socket pauses this client's subscription, never the store or other clients.
      onEvent: (event) => (matchesSelection(event, selection) ? sse.send(sseMessageOf(event)) : undefined),
      onError: (error) => sse.end(`error: the event subscription failed: ${error.message}`),
    },
    toLogFilter(selection),
  );
  await sse.done;
  socket?.off('error', markExposed);
  await subscription.close();
}

/** The event tail in the app's route list, when the app is given the store. */
export const registerEventTailRoutes: RegisterRoutes = (router, deps) => {
  if (deps.store === undefined) return;
  registerEventRoutes(router, { store: deps.store, ...(deps.logHead && { logHead: deps.logHead }), ...(deps.maxTailsPerClient && { maxTailsPerClient: deps.maxTailsPerClient }) });
};
