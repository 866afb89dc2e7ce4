/**
 * The emulator's `Streams.Read`: stream reads, forward `$all` reads and filtered `$all` catch-up
 * subscriptions (confirmation, catch-up, CaughtUp, then live events).
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import type { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb.js';
import type { StreamIdentifier } from '@eventstore/db-client/generated/shared_pb.js';
import type { MemoryLog, StoredEvent } from './esdb-memory-log.js';

const { ReadResp: ReadRespMessage } = streamsPb;
type ReadOptions = ReadReq.Options;
type ReadCall = grpc.ServerWritableStream<ReadReq, ReadResp>;
const FORWARDS = streamsPb.ReadReq.Options.ReadDirection.FORWARDS;

export const nameOf = (identifier: StreamIdentifier | undefined): string => Buffer.from(identifier?.getStreamName_asU8() ?? []).toString('utf8');

function toReadResp(event: StoredEvent): ReadResp {
  const recorded = new ReadRespMessage.ReadEvent.RecordedEvent()
    .setId(new sharedPb.UUID().setString(event.id))
    .setStreamIdentifier(new sharedPb.StreamIdentifier().setStreamName(Buffer.from(event.stream, 'utf8')))
    .setStreamRevision(String(event.revision))
    .setCommitPosition(String(event.position))
    .setPreparePosition(String(event.position))
    .setCustomMetadata(event.customMetadata)
    .setData(event.data);
  for (const [key, value] of event.metadata) recorded.getMetadataMap().set(key, value);
  return new ReadRespMessage().setEvent(new ReadRespMessage.ReadEvent().setEvent(recorded).setCommitPosition(String(event.position)));
}

/** The server-side filter the client sent: on stream name or event type, by prefixes or by regex. */
function createMatcher(options: ReadOptions): (event: StoredEvent) => boolean {
  const filter = options.getFilter();
  const expression = filter?.getStreamIdentifier() ?? filter?.getEventType();
  if (filter === undefined || expression === undefined) return () => true;
  const subject = filter.hasStreamIdentifier() ? (e: StoredEvent) => e.stream : (e: StoredEvent) => e.type;
  const prefixes = expression.getPrefixList();
  if (prefixes.length > 0) return (event) => prefixes.some((prefix) => subject(event).startsWith(prefix));
  const regex = new RegExp(expression.getRegex());
  return (event) => regex.test(subject(event));
}

/** Writes `message`, then waits while the client is slow, so that a large catch-up does not pile up in memory. */
async function send(call: ReadCall, message: ReadResp): Promise<void> {
  if (call.write(message)) return;
  const events = ['drain', 'cancelled', 'close'];
  await new Promise<void>((resolve) => {
    const done = () => (events.forEach((event) => call.off(event, done)), resolve());
    events.forEach((event) => call.on(event, done));
  });
}

async function sendAll(call: ReadCall, messages: readonly ReadResp[]): Promise<void> {
  for (const message of messages) if (!call.cancelled) await send(call, message);
  call.end();
}

function readStream(log: MemoryLog, call: ReadCall, options: ReadOptions): Promise<void> {
  const streamOptions = options.getStream();
  const events = log.streams.get(nameOf(streamOptions?.getStreamIdentifier()));
  if (events === undefined) {
    const notFound = new ReadRespMessage.StreamNotFound().setStreamIdentifier(streamOptions?.getStreamIdentifier());
    return sendAll(call, [new ReadRespMessage().setStreamNotFound(notFound)]);
  }
  const from = streamOptions?.hasRevision() ? Number(streamOptions.getRevision()) : streamOptions?.hasEnd() ? events.length : 0;
  const selected = options.getReadDirection() === FORWARDS ? events.slice(from) : events.slice(0, from + 1).reverse();
  return sendAll(call, selected.slice(0, Number(options.getCount())).map(toReadResp));
}

/** Forwards only (all the adapter needs); like a real server, includes the event at the given position. */
function readAll(log: MemoryLog, call: ReadCall, options: ReadOptions): Promise<void> {
  const all = options.getAll();
  const from = all?.hasEnd() ? BigInt(Number.MAX_SAFE_INTEGER) : BigInt(all?.getPosition()?.getCommitPosition() ?? '0');
  const matches = createMatcher(options);
  const selected = log.events.filter((event) => event.position >= from && matches(event));
  return sendAll(call, selected.slice(0, Number(options.getCount())).map(toReadResp));
}

function startIndex(log: MemoryLog, options: ReadOptions): number {
  const all = options.getAll();
  if (all?.hasEnd()) return log.events.length;
  const after = all?.hasPosition() ? BigInt(all.getPosition()?.getCommitPosition() ?? '0') : -1n;
  const index = log.events.findIndex((event) => event.position > after);
  return index < 0 ? log.events.length : index;
}

/** Confirmation, catch-up (after the start position, exclusive), CaughtUp, then live events, with one cursor over the log. */
async function subscribeToAll(log: MemoryLog, call: ReadCall, options: ReadOptions, isDown: () => boolean): Promise<void> {
  const matches = createMatcher(options);
  let index = startIndex(log, options);
  let caughtUp = false;
  await send(call, new ReadRespMessage().setConfirmation(new ReadRespMessage.SubscriptionConfirmation().setSubscriptionId(randomUUID())));
  while (!call.cancelled && !isDown()) {
    const event = log.events[index];
    if (event !== undefined) {
      index += 1;
      if (matches(event)) await send(call, toReadResp(event));
    } else if (!caughtUp) {
      caughtUp = true;
      await send(call, new ReadRespMessage().setCaughtUp(new ReadRespMessage.CaughtUp()));
    } else {
      const { appended, wake } = log.nextAppend();
      call.once('cancelled', wake);
      await appended;
      call.off('cancelled', wake);
    }
  }
  if (!isDown()) call.end();
}

/** `isDown` turns true when this server instance stops: its subscriptions end with it. */
export function createReadHandler(log: MemoryLog, isDown: () => boolean): grpc.handleServerStreamingCall<ReadReq, ReadResp> {
  return (call) => {
    const options = call.request.getOptions() ?? new streamsPb.ReadReq.Options();
    if (options.hasSubscription() && options.hasAll()) void subscribeToAll(log, call, options, isDown);
    else if (options.hasSubscription() || (options.hasAll() && options.getReadDirection() !== FORWARDS)) call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'This read is not emulated' });
    else void (options.hasStream() ? readStream(log, call, options) : readAll(log, call, options));
  };
}
