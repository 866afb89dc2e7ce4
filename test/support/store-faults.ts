import { StoreUnavailableError, type EventStore, type StoreUnavailableReason } from '../../src/store/port.js';

/**
 * A process that dies right after the append holding the `occurrence`-th event of `type`: that
 * append commits, and every append after it fails, so the store file ends where a `kill -9` at that
 * moment would leave it. Hand `wrap` to startLabpool's `wrapStore`.
 */
export function crashAfter(type: string, occurrence = 1): { readonly wrap: (store: EventStore) => EventStore; crashed(): boolean } {
  let seen = 0;
  let crashed = false;
  const wrap = (store: EventStore): EventStore => {
    const appendToStream: EventStore['appendToStream'] = async (stream, events, expected) => {
      if (crashed) throw new Error(`crashed after ${type} #${occurrence}`);
      const result = await store.appendToStream(stream, events, expected);
      if (events.some((event) => event.type === type) && ++seen >= occurrence) crashed = true;
      return result;
    };
    return proxyWith(store, appendToStream);
  };
  return { wrap, crashed: () => crashed };
}

/**
 * Holds the first append that `matches` (it commits only once `release` is called), as a slow disk or
 * a busy actor would: what runs meanwhile overtakes it. Hand `wrap` to startLabpool's `wrapStore`.
 */
export function holdAppend(matches: (stream: string, types: readonly string[]) => boolean): {
  readonly wrap: (store: EventStore) => EventStore;
  held(): boolean;
  release(): void;
} {
  let holding: Promise<void> | undefined;
  let release: () => void = () => undefined;
  const wrap = (store: EventStore): EventStore => {
    const appendToStream: EventStore['appendToStream'] = async (stream, events, expected) => {
      if (
        holding === undefined &&
        matches(
          stream,
          events.map((event) => event.type),
        )
      ) {
        holding = new Promise<void>((resolve) => (release = resolve));
        await holding;
      }
      return store.appendToStream(stream, events, expected);
    };
    return proxyWith(store, appendToStream);
  };
  return { wrap, held: () => holding !== undefined, release: () => release() };
}

/**
 * A store that refuses every append with StoreUnavailableError(`reason`) while `refusing` is on, as
 * a full disk would, and takes them again once it is off. Hand `wrap` to startLabpool's `wrapStore`.
 */
export function refuseWrites(reason: StoreUnavailableReason): { readonly wrap: (store: EventStore) => EventStore; refusing: boolean; refused(): number } {
  let refused = 0;
  const control = {
    refusing: false,
    refused: () => refused,
    wrap: (store: EventStore): EventStore =>
      proxyWith(store, async (stream, events, expected) => {
        if (!control.refusing) return store.appendToStream(stream, events, expected);
        refused++;
        throw new StoreUnavailableError(reason);
      }),
  };
  return control;
}

function proxyWith(store: EventStore, appendToStream: EventStore['appendToStream']): EventStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'appendToStream') return appendToStream;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
