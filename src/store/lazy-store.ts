import type { EventStore, Subscription } from './port.js';

/**
 * A store whose adapter is loaded on first use: EventStoreDB's client takes about a third of a second
 * to import, which a server on SQLite should not pay at every start. Every method waits for `load`;
 * a failed load fails each call (and a subscription, through its `onError`).
 */
export function lazyStore(load: () => Promise<EventStore>): EventStore {
  let loaded: Promise<EventStore> | undefined;
  const store = () => (loaded ??= load());
  return {
    appendToStream: async (stream, events, expected) => (await store()).appendToStream(stream, events, expected),
    readStream: async (stream, fromRevision) => (await store()).readStream(stream, fromRevision),
    async *readAll(from, filter) {
      yield* (await store()).readAll(from, filter);
    },
    subscribeToAll(from, handler, filter) {
      let closed = false;
      const opened: Promise<Subscription | undefined> = store().then(
        (inner) => (closed ? undefined : inner.subscribeToAll(from, handler, filter)),
        (error: unknown) => {
          if (!closed) handler.onError?.(error instanceof Error ? error : new Error(String(error)));
          return undefined;
        },
      );
      return {
        async close() {
          closed = true;
          await (await opened)?.close();
        },
      };
    },
    writeSnapshot: async (stream, snapshot) => (await store()).writeSnapshot(stream, snapshot),
    readSnapshot: async (stream) => (await store()).readSnapshot(stream),
    // Never loaded: nothing to release.
    close: async () => (loaded === undefined ? undefined : (await loaded).close()),
  };
}
