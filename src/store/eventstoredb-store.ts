/**
 * EventStoreDB adapter of the event-store port, over `@eventstore/db-client` 6.2.1 (only the
 * `eventstoredb-*` modules import the client). Expects a server ≥ 22.6 (stream reads carry log
 * positions); servers before 23.10 send no caught-up signal, so `onCaughtUp` never fires there.
 *
 * Writes ask for the leader (`requiresLeader`): a follower refuses them with NotLeader, the client
 * reconnects to the leader it names and the write is tried again, a few times at most. A write while
 * no server answers fails at once with StoreUnavailableError('unreachable') (HTTP 503) and is not
 * retried here: the client opens a new channel for the next call, which succeeds once a server is back.
 * Subscriptions, which nobody calls again, reopen themselves instead (see CatchUpSubscription).
 */
import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  StreamNotFoundError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type Filter,
  type JSONType,
  type ReadStreamOptions,
} from '@eventstore/db-client';
import {
  LOG_START,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type LogFilter,
  type LogPosition,
  type RecordedEvent,
  type Snapshot,
  type Subscription,
} from './port.js';
import { SNAPSHOT_STREAM_PREFIX, packPosition, toReadPosition, toRecordedEvent, toVisibleEvent } from './eventstoredb-events.js';
import { CatchUpSubscription } from './eventstoredb-subscription.js';
import { retryWrite, toPortError } from './eventstoredb-errors.js';

/** The server filters on one criterion only: stream prefixes if any, else event types; `matchesFilter` does the rest. */
function toServerFilter(filter: LogFilter | undefined): Filter {
  if (filter?.streamPrefixes?.length) return streamNameFilter({ prefixes: [...filter.streamPrefixes] });
  if (filter?.eventTypes?.length) return eventTypeFilter({ prefixes: [...filter.eventTypes] });
  return excludeSystemEvents();
}

async function readEvents(client: EventStoreDBClient, stream: string, options: ReadStreamOptions): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  try {
    for await (const { event } of client.readStream(stream, options)) if (event !== undefined) events.push(toRecordedEvent(event));
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
  return events;
}

async function* readLog(client: EventStoreDBClient, from: LogPosition, filter: LogFilter | undefined): AsyncGenerator<RecordedEvent> {
  const read = client.readAll({ fromPosition: toReadPosition(from) });
  try {
    for await (const resolved of read) {
      const recorded = toVisibleEvent(resolved, from, filter);
      if (recorded !== undefined) yield recorded;
    }
  } finally {
    await read.cancel(); // a consumer that stops early must not leave the server streaming
  }
}

async function append(client: EventStoreDBClient, stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
  if (events.length === 0) throw new RangeError('appendToStream needs at least one event');
  // The port's string revisions are spelled like the client's constants; only numbers need converting.
  const expectedRevision = typeof expected === 'number' ? BigInt(expected) : expected;
  // Built once: every try after a NotLeader refusal carries the same event ids.
  const data = events.map(({ type, data, metadata, id }) => jsonEvent({ type, data: data as JSONType, metadata, id }));
  const result = await retryWrite(() => client.appendToStream(stream, data, { expectedRevision, requiresLeader: true })).catch((error: unknown) => {
    throw toPortError(error, stream, expected);
  });
  if (result.position === undefined) throw new Error(`EventStoreDB returned no position for an append to ${stream}`);
  return { nextRevision: Number(result.nextExpectedRevision), position: packPosition(result.position) };
}

async function writeSnapshot(client: EventStoreDBClient, stream: string, { revision, state }: Snapshot): Promise<void> {
  const snapshotStream = SNAPSHOT_STREAM_PREFIX + stream;
  const event = jsonEvent({ type: 'Snapshot', data: { revision, state } });
  const result = await retryWrite(() => client.appendToStream(snapshotStream, event, { expectedRevision: ANY, requiresLeader: true })).catch((error: unknown) => {
    throw toPortError(error, snapshotStream, 'any');
  });
  // Only the latest snapshot is ever read: let the server scavenge the older ones.
  if (result.nextExpectedRevision === 0n) await retryWrite(() => client.setStreamMetadata(snapshotStream, { maxCount: 1 }, { requiresLeader: true }));
}

async function readSnapshot(client: EventStoreDBClient, stream: string): Promise<Snapshot | undefined> {
  const [latest] = await readEvents(client, SNAPSHOT_STREAM_PREFIX + stream, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
  return latest?.data as Snapshot | undefined;
}

/**
 * Connects to EventStoreDB (`esdb://host:2113?tls=false`, or a cluster connection string).
 * `close()` lets pending appends and snapshot writes finish, closes open subscriptions, then the client.
 */
export function connectEventStoreDb(connectionString: string): EventStore {
  const client = EventStoreDBClient.connectionString(connectionString);
  const writing = new Set<Promise<unknown>>();
  const subscriptions = new Set<Subscription>();
  const track = <T>(write: Promise<T>): Promise<T> => {
    writing.add(write);
    return write.finally(() => writing.delete(write));
  };
  return {
    appendToStream: (stream, events, expected) => track(append(client, stream, events, expected)),
    readStream: (stream, fromRevision = 0) => readEvents(client, stream, { fromRevision: BigInt(fromRevision) }),
    readAll: (from = LOG_START, filter) => readLog(client, from, filter),
    subscribeToAll(from, handler, filter) {
      const open = (after: LogPosition) => client.subscribeToAll({ fromPosition: toReadPosition(after), filter: toServerFilter(filter) });
      const subscription = new CatchUpSubscription(open, from, handler, filter);
      subscriptions.add(subscription);
      return { close: () => subscription.close().finally(() => subscriptions.delete(subscription)) };
    },
    writeSnapshot: (stream, snapshot) => track(writeSnapshot(client, stream, snapshot)),
    readSnapshot: (stream) => readSnapshot(client, stream),
    async close() {
      await Promise.allSettled(writing);
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      await client.dispose();
    },
  };
}
