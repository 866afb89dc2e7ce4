import { WrongExpectedRevisionError, type AppendResult, type EventStore } from '../store/port.js';

/** One `appendToStream` call as seen from outside the store. */
export type AppendObservation =
  | { readonly outcome: 'ok'; readonly durationS: number; readonly events: number; readonly result: AppendResult }
  | { readonly outcome: 'conflict' | 'error'; readonly durationS: number; readonly events: number };

export type AppendObserver = (observation: AppendObservation) => void;

function secondsSince(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1e9;
}

/**
 * The same store, reporting every append to `observe`. The port stays as it is: the decorator
 * forwards each method explicitly, because adapters are classes whose methods a spread would lose.
 */
export function observeAppends(store: EventStore, observe: AppendObserver): EventStore {
  return {
    async appendToStream(stream, events, expected) {
      const startNs = process.hrtime.bigint();
      try {
        const result = await store.appendToStream(stream, events, expected);
        observe({ outcome: 'ok', durationS: secondsSince(startNs), events: events.length, result });
        return result;
      } catch (error) {
        // A conflict is the optimistic-concurrency protocol working, not a store failure.
        const outcome = error instanceof WrongExpectedRevisionError ? 'conflict' : 'error';
        observe({ outcome, durationS: secondsSince(startNs), events: events.length });
        throw error;
      }
    },
    readStream: (stream, fromRevision) => store.readStream(stream, fromRevision),
    readAll: (from, filter) => store.readAll(from, filter),
    subscribeToAll: (from, handler, filter) => store.subscribeToAll(from, handler, filter),
    writeSnapshot: (stream, snapshot) => store.writeSnapshot(stream, snapshot),
    readSnapshot: (stream) => store.readSnapshot(stream),
    close: () => store.close(),
  };
}
