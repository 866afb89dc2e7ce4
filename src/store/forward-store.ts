import type { EventStore } from './port.js';

/**
 * Every method of `store`, forwarded: the starting point of a decorator, which then replaces the
 * methods it changes. Forwarded one by one because adapters are classes whose methods a spread would lose.
 */
export function forwardStore(store: EventStore): EventStore {
  return {
    appendToStream: (stream, events, expected) => store.appendToStream(stream, events, expected),
    readStream: (stream, fromRevision) => store.readStream(stream, fromRevision),
    readAll: (from, filter) => store.readAll(from, filter),
    subscribeToAll: (from, handler, filter) => store.subscribeToAll(from, handler, filter),
    writeSnapshot: (stream, snapshot) => store.writeSnapshot(stream, snapshot),
    readSnapshot: (stream) => store.readSnapshot(stream),
    close: () => store.close(),
  };
}
