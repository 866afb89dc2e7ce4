/**
 * The emulator's two write paths: `Streams.Append` (client streaming, what the client uses when the
 * server advertises nothing) and `Streams.BatchAppend` (one long-lived bidirectional stream carrying
 * many appends told apart by correlation id, what a 24.10 server advertises).
 */
import * as grpc from '@grpc/grpc-js';
import anyPb from 'google-protobuf/google/protobuf/any_pb.js';
import emptyPb from 'google-protobuf/google/protobuf/empty_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import statusPb from '@eventstore/db-client/generated/status_pb.js';
import codePb from '@eventstore/db-client/generated/code_pb.js';
import type { AppendReq, AppendResp, BatchAppendReq, BatchAppendResp } from '@eventstore/db-client/generated/streams_pb.js';
import type { AppendOutcome, ExpectedState, MemoryLog, ProposedEvent } from './esdb-memory-log.js';
import { nameOf } from './esdb-reads.js';

const { AppendResp: AppendRespMessage, BatchAppendResp: BatchAppendRespMessage } = streamsPb;

/** How the emulator around these handlers counts calls and plays a follower. */
export interface AppendHooks {
  count(method: string): void;
  /** The error a follower answers this call with (NotLeader), or undefined to serve it. */
  refusal(metadata: grpc.Metadata): grpc.ServerErrorResponse | undefined;
}

type AnyProposed = AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage;

function toProposed(message: AnyProposed): ProposedEvent {
  const metadata = new Map(message.getMetadataMap().entries());
  return { id: message.getId()?.getString(), metadata, customMetadata: message.getCustomMetadata_asU8(), data: message.getData_asU8() };
}

function expectedOfAppend(options: AppendReq.Options): ExpectedState {
  if (options.hasRevision()) return { kind: 'revision', revision: BigInt(options.getRevision()) };
  if (options.hasNoStream()) return { kind: 'no_stream' };
  return options.hasStreamExists() ? { kind: 'stream_exists' } : { kind: 'any' };
}

function expectedOfBatch(options: BatchAppendReq.Options): ExpectedState {
  if (options.hasStreamPosition()) return { kind: 'revision', revision: BigInt(options.getStreamPosition()) };
  if (options.hasNoStream()) return { kind: 'no_stream' };
  return options.hasStreamExists() ? { kind: 'stream_exists' } : { kind: 'any' };
}

function toAppendResp(outcome: AppendOutcome, expected: ExpectedState): AppendResp {
  if (outcome.kind === 'wrong_expected_version') {
    const wrong = new AppendRespMessage.WrongExpectedVersion();
    if (outcome.current >= 0) wrong.setCurrentRevision(String(outcome.current));
    else wrong.setCurrentNoStream(new sharedPb.Empty());
    if (expected.kind === 'revision') wrong.setExpectedRevision(String(expected.revision));
    else if (expected.kind === 'no_stream') wrong.setExpectedNoStream(new sharedPb.Empty());
    else if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new sharedPb.Empty());
    else wrong.setExpectedAny(new sharedPb.Empty());
    return new AppendRespMessage().setWrongExpectedVersion(wrong);
  }
  const done = new AppendRespMessage.Success();
  const revision = outcome.last?.revision ?? outcome.current;
  if (revision >= 0) done.setCurrentRevision(String(revision));
  else done.setNoStream(new sharedPb.Empty());
  const position = outcome.last && new AppendRespMessage.Position().setCommitPosition(String(outcome.last.position)).setPreparePosition(String(outcome.last.position));
  if (position) done.setPosition(position);
  else done.setNoPosition(new sharedPb.Empty());
  return new AppendRespMessage().setSuccess(done);
}

/** BatchAppend reports a refused append as a google.rpc.Status whose details pack the shared WrongExpectedVersion. */
function wrongVersionStatus(current: number, expected: ExpectedState): statusPb.Status {
  const wrong = new sharedPb.WrongExpectedVersion();
  if (current >= 0) wrong.setCurrentStreamRevision(String(current));
  else wrong.setCurrentNoStream(new emptyPb.Empty());
  if (expected.kind === 'revision') wrong.setExpectedStreamPosition(String(expected.revision));
  else if (expected.kind === 'no_stream') wrong.setExpectedNoStream(new emptyPb.Empty());
  else if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new emptyPb.Empty());
  else wrong.setExpectedAny(new emptyPb.Empty());
  const details = new anyPb.Any();
  details.pack(wrong.serializeBinary(), 'event_store.client.WrongExpectedVersion');
  return new statusPb.Status().setCode(codePb.Code.FAILED_PRECONDITION).setMessage('WrongExpectedVersion').setDetails(details);
}

function toBatchAppendResp(request: BatchAppendReq, options: BatchAppendReq.Options, outcome: AppendOutcome, expected: ExpectedState): BatchAppendResp {
  const resp = new BatchAppendRespMessage().setCorrelationId(request.getCorrelationId()).setStreamIdentifier(options.getStreamIdentifier());
  if (outcome.kind === 'wrong_expected_version') return resp.setError(wrongVersionStatus(outcome.current, expected));
  const done = new BatchAppendRespMessage.Success();
  const revision = outcome.last?.revision ?? outcome.current;
  if (revision >= 0) done.setCurrentRevision(String(revision));
  else done.setNoStream(new emptyPb.Empty());
  const position = String(outcome.last?.position ?? 0n);
  if (outcome.last) done.setPosition(new sharedPb.AllStreamPosition().setCommitPosition(position).setPreparePosition(position));
  else done.setNoPosition(new emptyPb.Empty());
  return resp.setSuccess(done);
}

export function createAppendHandler(log: MemoryLog, hooks: AppendHooks): grpc.handleClientStreamingCall<AppendReq, AppendResp> {
  return (call, callback) => {
    hooks.count('Streams.Append');
    let options: AppendReq.Options | undefined;
    const proposed: ProposedEvent[] = [];
    call.on('data', (request: AppendReq) => {
      options = request.getOptions() ?? options;
      const message = request.getProposedMessage();
      if (message !== undefined) proposed.push(toProposed(message));
    });
    call.on('end', () => {
      const refusal = hooks.refusal(call.metadata);
      if (refusal !== undefined) return callback(refusal);
      if (options === undefined) return callback({ code: grpc.status.INVALID_ARGUMENT, details: 'Append without options' });
      const expected = expectedOfAppend(options);
      callback(null, toAppendResp(log.append(nameOf(options.getStreamIdentifier()), expected, proposed), expected));
    });
  };
}

/** Requests sharing a correlation id accumulate until the one marked final; the first carries the options. */
export function createBatchAppendHandler(log: MemoryLog, hooks: AppendHooks): grpc.handleBidiStreamingCall<BatchAppendReq, BatchAppendResp> {
  return (call) => {
    hooks.count('Streams.BatchAppend');
    const pending = new Map<string, { options: BatchAppendReq.Options | undefined; proposed: ProposedEvent[] }>();
    call.on('data', (request: BatchAppendReq) => {
      const key = Buffer.from(request.getCorrelationId()?.serializeBinary() ?? []).toString('base64');
      const batch = pending.get(key) ?? { options: undefined, proposed: [] };
      pending.set(key, batch);
      batch.options = request.getOptions() ?? batch.options;
      batch.proposed.push(...request.getProposedMessagesList().map(toProposed));
      if (!request.getIsFinal()) return;
      pending.delete(key);
      const refusal = hooks.refusal(call.metadata);
      // A real node that is no longer leader fails the whole call with the leader's endpoint.
      if (refusal !== undefined) return void call.emit('error', refusal);
      if (batch.options === undefined) return void call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details: 'BatchAppend without options' });
      hooks.count('Streams.BatchAppend.appends');
      const expected = expectedOfBatch(batch.options);
      const outcome = log.append(nameOf(batch.options.getStreamIdentifier()), expected, batch.proposed);
      call.write(toBatchAppendResp(request, batch.options, outcome, expected));
    });
    call.on('end', () => call.end());
  };
}
