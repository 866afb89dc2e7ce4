import { matchesFilter, type LogFilter, type LogPosition, type RecordedEvent, type Subscription, type SubscriptionHandler } from './port.js';

export interface SqliteSubscription extends Subscription {
  /** Tells a live subscription that new events may be there. */
  wake(): void;
  /** Settles when the subscription stopped, by close or by error. */
  readonly finished: Promise<void>;
}

export interface SqliteSubscriptionOptions {
  readonly from: LogPosition;
  readonly handler: SubscriptionHandler;
  readonly filter: LogFilter | undefined;
  /** Events after a position, in log order; a page shorter than `pageRows` reached the end of the log. */
  readonly readPage: (after: LogPosition) => RecordedEvent[];
  readonly pageRows: number;
}

/**
 * A catch-up subscription over pages of the log: it reads pages until one comes back short (caught up),
 * then sleeps until woken by an append (this process) or by the store's poll (another process).
 */
export function createSqliteSubscription(options: SqliteSubscriptionOptions): SqliteSubscription {
  const { handler, filter, readPage, pageRows } = options;
  let closed = false;
  let wakeUp: (() => void) | undefined;
  let woken = false;

  function sleep(): Promise<void> {
    if (woken || closed) return Promise.resolve();
    return new Promise((resolve) => (wakeUp = resolve));
  }

  async function deliver(page: readonly RecordedEvent[]): Promise<void> {
    for (const event of page) {
      if (closed) return;
      if (!matchesFilter(event, filter)) continue;
      const pendingDelivery = handler.onEvent(event);
      if (pendingDelivery) await pendingDelivery;
    }
  }

  async function run(): Promise<void> {
    let position = options.from;
    let caughtUp = false;
    while (!closed) {
      woken = false;
      const page = readPage(position);
      await deliver(page);
      position = page.at(-1)?.position ?? position;
      if (page.length === pageRows) {
        // Let appends and other subscribers run between pages of a long catch-up.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      if (!caughtUp && !closed) {
        caughtUp = true;
        handler.onCaughtUp?.();
      }
      await sleep();
    }
  }

  const finished = run().catch((error: unknown) => {
    closed = true;
    handler.onError?.(error instanceof Error ? error : new Error(String(error)));
  });

  return {
    finished,
    wake() {
      woken = true;
      wakeUp?.();
      wakeUp = undefined;
    },
    async close() {
      closed = true;
      wakeUp?.();
      wakeUp = undefined;
      await finished;
    },
  };
}
