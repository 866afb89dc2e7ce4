/**
 * How the EventStoreDB adapter reads the client's errors: which mean "try again later", which mean
 * "ask the leader", and the port errors they become.
 */
import { CancelledError, NotLeaderError, UnavailableError, WrongExpectedVersionError } from '@eventstore/db-client';
import { status as grpcStatus } from '@grpc/grpc-js';
import { StoreUnavailableError, WrongExpectedRevisionError, type ExpectedRevision } from './port.js';

/**
 * Tries of a write refused by a follower. The client reconnects to the leader the refusal names
 * before the next try; more than a few refusals in a row means an election is going on, and the
 * caller is better served by a prompt 503 than by a long wait.
 */
export const NOT_LEADER_TRIES = 4;
/** Pause before try n+1 is n times this: long enough for the client to switch channels first. */
const NOT_LEADER_BACKOFF_MS = 25;

const codeOf = (error: unknown): unknown => (error instanceof Error ? (error as { readonly code?: unknown }).code : undefined);

/**
 * No server answers: the write was not taken, and may be once one does. The client converts gRPC's
 * UNAVAILABLE into its UnavailableError only for a call that reached a channel; a connection that
 * never came up rejects with the raw gRPC status.
 */
export function isUnavailable(error: unknown): boolean {
  return error instanceof UnavailableError || codeOf(error) === grpcStatus.UNAVAILABLE;
}

/**
 * The call was cancelled: by the server going away, or by the client itself, which closes its channel
 * (cancelling every call on it) as soon as one call reports the server unavailable.
 */
const isCancelled = (error: unknown): boolean => error instanceof CancelledError || codeOf(error) === grpcStatus.CANCELLED;

/** A long-lived call the server dropped (shut down, restarted, lost the connection): worth opening again. */
export function isTransient(error: unknown): boolean {
  return isUnavailable(error) || isCancelled(error);
}

export function toPortError(error: unknown, stream: string, expected: ExpectedRevision): unknown {
  if (isTransient(error) || error instanceof NotLeaderError) return new StoreUnavailableError('unreachable', { cause: error });
  if (!(error instanceof WrongExpectedVersionError)) return error;
  const actual = error.actualVersion;
  return new WrongExpectedRevisionError(stream, expected, typeof actual === 'bigint' ? Number(actual) : actual);
}

/**
 * Runs `write` until no follower refuses it, at most NOT_LEADER_TRIES times, and once more if the
 * client cancelled it while switching channels. A refusal means the node did not take the write; a
 * cancelled write may have been taken, but the caller builds its events once, so every try carries
 * the same event ids and expected revision, which the server treats as the same write (idempotent).
 */
export async function retryWrite<T>(write: () => Promise<T>): Promise<T> {
  let cancelledBefore = false;
  for (let tries = 1; ; tries += 1) {
    try {
      return await write();
    } catch (error) {
      const again = error instanceof NotLeaderError ? tries < NOT_LEADER_TRIES : isCancelled(error) && !cancelledBefore;
      if (!again) throw error;
      cancelledBefore ||= isCancelled(error);
      await new Promise((resolve) => setTimeout(resolve, NOT_LEADER_BACKOFF_MS * tries));
    }
  }
}
