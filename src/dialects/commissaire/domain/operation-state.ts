import type { OperationEvent, OperationKind, OperationStatus } from './operation-events.js';

/** The latest operation of one kind on one cluster: `none` before the first. */
export type OperationState =
  | { readonly status: 'none' }
  | {
      readonly status: OperationStatus;
      readonly cluster: string;
      readonly kind: OperationKind;
      readonly version: string | null;
      /** Every host to work on, in order. */
      readonly hosts: readonly string[];
      /** Hosts done, in the order they finished. */
      readonly done: readonly string[];
      /** The host being worked on; null between hosts and once the operation ended. */
      readonly inProcess: string | null;
      /** The host that failed the operation, and why; null unless `failed`. */
      readonly failure: { readonly host: string; readonly reason: string } | null;
      readonly startedAtMs: number;
      /** When it finished or failed; null while in process. */
      readonly finishedAtMs: number | null;
    };

export type StartedOperation = Exclude<OperationState, { status: 'none' }>;

export const initialOperationState: OperationState = { status: 'none' };

function started(state: OperationState, change: (operation: StartedOperation) => StartedOperation): OperationState {
  return state.status === 'none' ? state : change(state);
}

export function evolveOperation(state: OperationState, event: OperationEvent): OperationState {
  switch (event.type) {
    case 'ClusterOperationStarted': {
      const { cluster, kind, version, hosts, atMs } = event.data;
      return { status: 'in_process', cluster, kind, version, hosts, done: [], inProcess: null, failure: null, startedAtMs: atMs, finishedAtMs: null };
    }
    case 'ClusterOperationHostStarted':
      return started(state, (operation) => ({ ...operation, inProcess: event.data.host }));
    case 'ClusterOperationHostDone':
      return started(state, (operation) => ({ ...operation, inProcess: null, done: [...operation.done, event.data.host] }));
    case 'ClusterOperationHostFailed': {
      const { host, reason, atMs } = event.data;
      return started(state, (operation) => ({ ...operation, status: 'failed', inProcess: null, failure: { host, reason }, finishedAtMs: atMs }));
    }
    case 'ClusterOperationFinished':
      return started(state, (operation) => ({ ...operation, status: 'finished', finishedAtMs: event.data.atMs }));
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/**
 * The host the operation's actor works on next; undefined once the operation has ended. After a
 * restart of labpool the host that was in process is named again and its work is redone from the
 * start rather than waited for: imaging or power-cycling one host again is safe, whereas waiting
 * would hang for ever if the report of its end was lost with the process that crashed.
 */
export function nextHost(state: OperationState): string | undefined {
  if (state.status !== 'in_process') return undefined;
  return state.inProcess ?? state.hosts.find((host) => !state.done.includes(host));
}
