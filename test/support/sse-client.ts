import { getStream } from '../../src/cli/http-stream.js';
import { readSseMessages, type SseMessage } from '../../src/cli/sse-reader.js';
import type { WireEvent } from '../../src/http/events/event-wire.js';

/** A test's connection to `GET /api/events/`. */
export interface SseConnection {
  readonly status: number;
  readonly contentType: string;
  /** The id of the first message: where the server started this stream. */
  readonly startId: string | undefined;
  /** The next `n` events; fails after `timeoutMs`. */
  take(n: number, timeoutMs?: number): Promise<WireEvent[]>;
  /** Events until `done(event)` holds for one (included). */
  takeUntil(done: (event: WireEvent) => boolean, timeoutMs?: number): Promise<WireEvent[]>;
  /** The next `n` messages with data, as sent (id, event, data). */
  takeMessages(n: number, timeoutMs?: number): Promise<SseMessage[]>;
  close(): void;
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  // Once the timeout wins, the losing promise's later rejection (the stream closed) is nobody's business.
  promise.catch(() => undefined);
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${timeoutMs} ms`)), timeoutMs)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Opens an SSE stream and waits for its first (id-only) message, so that it is live when this resolves. */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  const response = await getStream(new URL(url), { Accept: 'text/event-stream', ...headers });
  const messages = readSseMessages(response.body);
  const nextMessage = async (): Promise<SseMessage> => {
    const next = await messages.next();
    if (next.done) throw new Error('the stream ended');
    return next.value;
  };
  const isSse = response.status === 200 && response.contentType.startsWith('text/event-stream');
  const startId = isSse ? (await withTimeout(nextMessage(), 5_000, 'no first message')).id : undefined;
  async function takeMessagesUntil(done: (event: WireEvent) => boolean, timeoutMs = 5_000): Promise<SseMessage[]> {
    const received: SseMessage[] = [];
    const collect = async () => {
      for (;;) {
        const message = await nextMessage();
        if (message.data === '') continue;
        received.push(message);
        if (done(JSON.parse(message.data) as WireEvent)) return received;
      }
    };
    return withTimeout(collect(), timeoutMs, `stream delivered only ${received.length} events`);
  }
  const takeUntil = async (done: (event: WireEvent) => boolean, timeoutMs?: number) => (await takeMessagesUntil(done, timeoutMs)).map((message) => JSON.parse(message.data) as WireEvent);
  const countTo = (n: number) => {
    let count = 0;
    return () => ++count >= n;
  };
  return {
    status: response.status,
    contentType: response.contentType,
    startId,
    takeUntil,
    take: (n, timeoutMs) => takeUntil(countTo(n), timeoutMs),
    takeMessages: (n, timeoutMs) => takeMessagesUntil(countTo(n), timeoutMs),
    close: () => response.close(),
  };
}
