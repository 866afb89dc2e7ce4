import { forwardStore } from '../store/forward-store.js';
import { WrongExpectedRevisionError, type AppendResult, type EventStore } from '../store/port.js';

/** One `appendToStream` call as seen from outside the store. */
export type AppendObservation =
  | { readonly outcome: 'ok'; readonly durationS: number; readonly events: number; readonly result: AppendResult }
  | { readonly outcome: 'conflict' | 'error'; readonly durationS: number; readonly events: number; readonly error: unknown };

export type AppendObserver = (observation: AppendObservation) => void;

function secondsSince(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1e9;
}

/** The same store, reporting every append to `observe`. */
export function observeAppends(store: EventStore, observe: AppendObserver): EventStore {
  return {
    ...forwardStore(store),
    async appendToStream(stream, events, expected) {
      const startNs = process.hrtime.bigint();
      try {
        const result = await store.appendToStream(stream, events, expected);
        observe({ outcome: 'ok', durationS: secondsSince(startNs), events: events.length, result });
        return result;
      } catch (error) {
        // A conflict is the optimistic-concurrency protocol working, not a store failure.
        const outcome = error instanceof WrongExpectedRevisionError ? 'conflict' : 'error';
        observe({ outcome, durationS: secondsSince(startNs), events: events.length, error });
        throw error;
      }
    },
  };
}
