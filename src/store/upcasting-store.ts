import { forwardStore } from './forward-store.js';
import type { EventStore, LogFilter, RecordedEvent, SubscriptionHandler, Upcaster } from './port.js';

/**
 * The store as readers of today's code expect it: every event an upcaster knows is read as its new
 * type (streams, the global log, subscriptions). Appends and snapshots pass through untouched.
 */
export function withUpcasters(store: EventStore, upcasters: readonly Upcaster[]): EventStore {
  if (upcasters.length === 0) return store;
  const byOldType = new Map(upcasters.map((upcaster) => [upcaster.fromType, upcaster]));
  const upcast = (event: RecordedEvent): RecordedEvent => {
    const upcaster = byOldType.get(event.type);
    if (upcaster === undefined) return event;
    const data = upcaster.upcast(event.data);
    // An upcaster that keeps its type and finds nothing to change (an event written since) leaves the event as it is.
    if (data === event.data && upcaster.toType === event.type) return event;
    const { id, stream, revision, position, createdAtMs } = event;
    // Not a spread: the SQLite adapter's metadata is a lazy getter on the prototype, which a spread drops.
    return {
      id,
      stream,
      revision,
      position,
      type: upcaster.toType,
      data,
      createdAtMs,
      get metadata() {
        return event.metadata;
      },
    };
  };
  // A filter on a new type must also let the old events it is read from through.
  const widen = (filter: LogFilter | undefined): LogFilter | undefined => {
    if (filter?.eventTypes === undefined) return filter;
    const wanted = new Set(filter.eventTypes);
    const old = upcasters.filter((upcaster) => wanted.has(upcaster.toType)).map((upcaster) => upcaster.fromType);
    return old.length === 0 ? filter : { ...filter, eventTypes: [...filter.eventTypes, ...old] };
  };
  return {
    ...forwardStore(store),
    readStream: async (stream, fromRevision) => (await store.readStream(stream, fromRevision)).map(upcast),
    async *readAll(from, filter) {
      for await (const event of store.readAll(from, widen(filter))) yield upcast(event);
    },
    subscribeToAll(from, handler: SubscriptionHandler, filter) {
      const upcasting: SubscriptionHandler = {
        onEvent: (event) => handler.onEvent(upcast(event)),
        onCaughtUp: () => handler.onCaughtUp?.(),
        onError: (error) => handler.onError?.(error),
      };
      return store.subscribeToAll(from, upcasting, widen(filter));
    },
  };
}
