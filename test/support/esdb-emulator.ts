/**
 * A test-only, in-memory stand-in for one EventStoreDB node: the part of the gRPC API that
 * `@eventstore/db-client` 6.2.1 uses for our adapter. `Streams.Append` and `Streams.Read` (stream reads,
 * forward `$all` reads, filtered `$all` catch-up subscriptions); every other method answers UNIMPLEMENTED,
 * which makes the client fall back (no ServerFeatures, so plain Append instead of BatchAppend).
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import streamsGrpc from '@eventstore/db-client/generated/streams_grpc_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import type { AppendReq, AppendResp, ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb.js';
import type { StreamIdentifier } from '@eventstore/db-client/generated/shared_pb.js';

const { AppendResp: AppendRespMessage, ReadResp: ReadRespMessage } = streamsPb;
type ReadOptions = ReadReq.Options;
type ReadCall = grpc.ServerWritableStream<ReadReq, ReadResp>;

interface StoredEvent {
  readonly id: string;
  readonly stream: string;
  readonly type: string;
  readonly revision: number;
  /** Both commit and prepare position: a real server reports the event's own log position for both. */
  readonly position: bigint;
  /** `type`, `content-type` and `created` (.NET ticks since the Unix epoch), as the server sends them. */
  readonly metadata: ReadonlyMap<string, string>;
  readonly customMetadata: Uint8Array;
  readonly data: Uint8Array;
}

export interface EsdbEmulator {
  /** `esdb://127.0.0.1:<port>?tls=false` */
  readonly connectionString: string;
  stop(): Promise<void>;
}

const TICKS_PER_MS = 10_000n;
const FORWARDS = streamsPb.ReadReq.Options.ReadDirection.FORWARDS;

class MemoryLog {
  readonly events: StoredEvent[] = [];
  readonly streams = new Map<string, StoredEvent[]>();
  stopped = false;
  private readonly waiters = new Set<() => void>();
  /** Far from 0, so that LOG_START is never mistaken for an event's position. */
  private nextPosition = 1_000n;

  /** Synchronous, hence atomic: the revision check and the whole batch happen in one turn. */
  append(options: AppendReq.Options, proposed: readonly AppendReq.ProposedMessage[]): AppendResp {
    const stream = nameOf(options.getStreamIdentifier());
    const existing = this.streams.get(stream) ?? [];
    const current = existing.length - 1;
    if (!isExpected(options, current)) return wrongExpectedVersion(options, current);
    const appended = proposed.map((message, i) => this.record(stream, current + 1 + i, message));
    this.streams.set(stream, existing.concat(appended));
    this.events.push(...appended);
    this.wakeAll();
    return success(appended.at(-1), current);
  }

  /** Resolves on the next append or stop; call the returned `wake` to stop waiting early. */
  nextAppend(): { readonly appended: Promise<void>; readonly wake: () => void } {
    let wake!: () => void;
    const appended = new Promise<void>((resolve) => (wake = resolve));
    this.waiters.add(wake);
    return { appended, wake };
  }

  wakeAll(): void {
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }

  private record(stream: string, revision: number, message: AppendReq.ProposedMessage): StoredEvent {
    const metadata = new Map(message.getMetadataMap().entries());
    metadata.set('created', String(BigInt(Date.now()) * TICKS_PER_MS));
    const position = this.nextPosition++;
    const id = message.getId()?.getString() || randomUUID();
    return { id, stream, type: metadata.get('type') ?? '', revision, position, metadata, customMetadata: message.getCustomMetadata_asU8(), data: message.getData_asU8() };
  }
}

const nameOf = (identifier: StreamIdentifier | undefined): string => Buffer.from(identifier?.getStreamName_asU8() ?? []).toString('utf8');

function isExpected(options: AppendReq.Options, current: number): boolean {
  if (options.hasRevision()) return BigInt(options.getRevision()) === BigInt(current);
  if (options.hasNoStream()) return current === -1;
  if (options.hasStreamExists()) return current >= 0;
  return true;
}

function wrongExpectedVersion(options: AppendReq.Options, current: number): AppendResp {
  const wrong = new AppendRespMessage.WrongExpectedVersion();
  if (current >= 0) wrong.setCurrentRevision(String(current));
  else wrong.setCurrentNoStream(new sharedPb.Empty());
  if (options.hasRevision()) wrong.setExpectedRevision(options.getRevision());
  else if (options.hasNoStream()) wrong.setExpectedNoStream(new sharedPb.Empty());
  else if (options.hasStreamExists()) wrong.setExpectedStreamExists(new sharedPb.Empty());
  else wrong.setExpectedAny(new sharedPb.Empty());
  return new AppendRespMessage().setWrongExpectedVersion(wrong);
}

/** Current revision and the position of the last event appended (what a real server reports). */
function success(last: StoredEvent | undefined, current: number): AppendResp {
  const done = new AppendRespMessage.Success();
  const revision = last?.revision ?? current;
  if (revision >= 0) done.setCurrentRevision(String(revision));
  else done.setNoStream(new sharedPb.Empty());
  const position = last && new AppendRespMessage.Position().setCommitPosition(String(last.position)).setPreparePosition(String(last.position));
  if (position) done.setPosition(position);
  else done.setNoPosition(new sharedPb.Empty());
  return new AppendRespMessage().setSuccess(done);
}

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

/** Confirmation, catch-up (after the start position, exclusive), CaughtUp, then live events, with one cursor over the log. */
async function subscribeToAll(log: MemoryLog, call: ReadCall, options: ReadOptions): Promise<void> {
  const all = options.getAll();
  const after = all?.hasPosition() ? BigInt(all.getPosition()?.getCommitPosition() ?? '0') : -1n;
  const matches = createMatcher(options);
  let index = all?.hasEnd() ? log.events.length : log.events.findIndex((event) => event.position > after);
  if (index < 0) index = log.events.length;
  let caughtUp = false;
  await send(call, new ReadRespMessage().setConfirmation(new ReadRespMessage.SubscriptionConfirmation().setSubscriptionId(randomUUID())));
  while (!call.cancelled && !log.stopped) {
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
  call.end();
}

function unimplemented(what: string): Partial<grpc.StatusObject> {
  return { code: grpc.status.UNIMPLEMENTED, details: `${what} is not emulated` };
}

function createHandlers(log: MemoryLog): grpc.UntypedServiceImplementation {
  const append: grpc.handleClientStreamingCall<AppendReq, AppendResp> = (call, callback) => {
    let options: AppendReq.Options | undefined;
    const proposed: AppendReq.ProposedMessage[] = [];
    call.on('data', (request: AppendReq) => {
      options = request.getOptions() ?? options;
      const message = request.getProposedMessage();
      if (message !== undefined) proposed.push(message);
    });
    call.on('end', () => (options ? callback(null, log.append(options, proposed)) : callback(unimplemented('Append without options'))));
  };
  const read: grpc.handleServerStreamingCall<ReadReq, ReadResp> = (call) => {
    const options = call.request.getOptions() ?? new streamsPb.ReadReq.Options();
    if (options.hasSubscription() && options.hasAll()) void subscribeToAll(log, call, options);
    else if (options.hasSubscription() || (options.hasAll() && options.getReadDirection() !== FORWARDS)) call.emit('error', unimplemented('This read'));
    else void (options.hasStream() ? readStream(log, call, options) : readAll(log, call, options));
  };
  return { append, read };
}

/** Starts an emulator on an ephemeral port of 127.0.0.1 (insecure). */
export async function startEsdbEmulator(): Promise<EsdbEmulator> {
  const log = new MemoryLog();
  const server = new grpc.Server();
  server.addService(streamsGrpc.StreamsService, createHandlers(log));
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))));
  return {
    connectionString: `esdb://127.0.0.1:${port}?tls=false`,
    async stop() {
      log.stopped = true;
      log.wakeAll();
      server.forceShutdown();
    },
  };
}
