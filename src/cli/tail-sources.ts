import { setTimeout as delay } from 'node:timers/promises';
import { findLastPosition, toWireEvent, type WireEvent } from '../http/events/event-wire.js';
import { matchesSelection, toLogFilter, type EventSelection, type TailQuery } from '../http/events/event-selection.js';
import { openLabStore } from '../lab/lab-store.js';
import { storeConfigOf } from './store-option.js';
import type { EventStore, LogPosition } from '../store/port.js';
import { getStream, readText } from './http-stream.js';
import { readSseMessages } from './sse-reader.js';
import { describeAnswer, serverUrl } from './server-url.js';

/** Receives each event a tail delivers, in log order. */
export type EventSink = (event: WireEvent) => void;

/** After a dropped stream the tail reconnects with Last-Event-ID; this many failures in a row end it. */
const MAX_RECONNECT_FAILURES = 5;
const RECONNECT_DELAY_MS = 1_000;

/** The server said no (bad parameters, no such route): retrying would not help. */
class RefusedError extends Error {}

interface ServerTail {
  lastEventId: string | undefined;
  connected: boolean;
}

async function followOnce(url: URL, tail: ServerTail, sink: EventSink, signal: AbortSignal): Promise<void> {
  const headers: Record<string, string> = { Accept: 'text/event-stream' };
  if (tail.lastEventId !== undefined) headers['Last-Event-ID'] = tail.lastEventId;
  const response = await getStream(url, headers, signal);
  if (response.status !== 200) throw new RefusedError(describeAnswer(url, response.status, await readText(response.body)));
  tail.connected = true;
  for await (const message of readSseMessages(response.body)) {
    if (message.id !== undefined) tail.lastEventId = message.id;
    if (message.data !== '' && !signal.aborted) sink(JSON.parse(message.data) as WireEvent);
  }
}

/**
 * Follows `GET /api/events/` on the server at `base` until `signal` aborts. A stream that drops
 * after it once connected is resumed with Last-Event-ID, so no event is lost or repeated.
 */
export async function tailServer(base: string, query: URLSearchParams, sink: EventSink, signal: AbortSignal): Promise<void> {
  const url = serverUrl(base, `/api/events/?${query.toString()}`);
  const tail: ServerTail = { lastEventId: undefined, connected: false };
  for (let failures = 0; !signal.aborted;) {
    try {
      await followOnce(url, tail, sink, signal);
      failures = 0;
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof RefusedError || !tail.connected || ++failures >= MAX_RECONNECT_FAILURES) throw error;
    }
    await delay(RECONNECT_DELAY_MS, undefined, { signal }).catch(() => undefined);
  }
}

function followStore(store: EventStore, from: LogPosition, selection: EventSelection, sink: EventSink, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const subscription = store.subscribeToAll(
      from,
      {
        onEvent: (event) => {
          if (!signal.aborted && matchesSelection(event, selection)) sink(toWireEvent(event));
        },
        onError: reject,
      },
      toLogFilter(selection),
    );
    const stop = () => void subscription.close().then(resolve, reject);
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
}

/** Follows the store at `target` directly (no server needed) until `signal` aborts. */
export async function tailStore(target: string, query: TailQuery, sink: EventSink, signal: AbortSignal): Promise<void> {
  const store = openLabStore(storeConfigOf(target));
  try {
    const from = query.from ?? (await findLastPosition(store, toLogFilter(query.selection)));
    await followStore(store, from, query.selection, sink, signal);
  } finally {
    await store.close();
  }
}
