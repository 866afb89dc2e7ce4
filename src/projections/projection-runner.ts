import { LOG_START, matchesFilter, type EventStore, type LogFilter, type LogPosition, type RecordedEvent, type Subscription } from '../store/port.js';

/** A read model folded from the global log. `apply` is synchronous: read models live in memory. */
export interface Projection {
  readonly name: string;
  /** Events this projection cares about; it sees every event when absent. */
  readonly filter?: LogFilter;
  apply(event: RecordedEvent): void;
}

export interface ProjectionRunner {
  /** Subscribes from the start of the log; resolves once every projection has caught up. */
  start(): Promise<void>;
  /** Resolves once every projection has applied the event at `position` (read-your-writes). */
  waitFor(position: LogPosition, timeoutMs?: number): Promise<void>;
  /** Position of the last event applied. */
  position(): LogPosition;
  stop(): Promise<void>;
}

interface Waiter {
  readonly position: LogPosition;
  resolve(): void;
}

/**
 * Feeds projections from one unfiltered subscription, so that its position advances with every event
 * of the log and `waitFor` can answer for any position an append returned.
 */
export function createProjectionRunner(
  store: EventStore,
  projections: readonly Projection[],
  onError: (error: unknown, context: string) => void = (error, context) => console.error(`[projections] ${context}:`, error),
): ProjectionRunner {
  let lastPosition = LOG_START;
  let waiters: Waiter[] = [];
  let subscription: Subscription | undefined;

  function apply(event: RecordedEvent): void {
    for (const projection of projections) {
      if (!matchesFilter(event, projection.filter)) continue;
      try {
        projection.apply(event);
      } catch (error) {
        // One bad event must not stop every read model: report it and carry on.
        onError(error, `${projection.name} at ${event.stream}@${event.revision}`);
      }
    }
    lastPosition = event.position;
    if (waiters[0] !== undefined && waiters[0].position <= lastPosition) releaseWaiters();
  }

  /** Waiters are kept in position order: the ones reached are a prefix. */
  function releaseWaiters(): void {
    let reached = 0;
    while (reached < waiters.length && waiters[reached]!.position <= lastPosition) reached++;
    for (const waiter of waiters.splice(0, reached)) waiter.resolve();
  }

  function addWaiter(waiter: Waiter): void {
    // Appends return growing positions, so a new waiter nearly always goes last.
    let at = waiters.length;
    while (at > 0 && waiters[at - 1]!.position > waiter.position) at--;
    waiters.splice(at, 0, waiter);
  }

  return {
    start() {
      return new Promise<void>((resolve, reject) => {
        subscription = store.subscribeToAll(lastPosition, {
          onEvent: apply,
          onCaughtUp: resolve,
          onError: (error) => (onError(error, 'subscription'), reject(error)),
        });
      });
    },
    waitFor(position, timeoutMs = 10_000) {
      if (position <= lastPosition) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((waiter) => waiter !== entry);
          reject(new Error(`projections did not reach position ${position} within ${timeoutMs} ms (at ${lastPosition})`));
        }, timeoutMs);
        const entry: Waiter = { position, resolve: () => (clearTimeout(timer), resolve()) };
        addWaiter(entry);
      });
    },
    position: () => lastPosition,
    async stop() {
      await subscription?.close();
      subscription = undefined;
    },
  };
}
