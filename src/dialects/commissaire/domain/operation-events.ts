/** Commissaire's cluster operations: deploy images every host, upgrade re-images, restart power-cycles. */
export type OperationKind = 'deploy' | 'upgrade' | 'restart';

export const OPERATION_KINDS: readonly OperationKind[] = ['deploy', 'upgrade', 'restart'];

/** `in_process` while hosts are worked on; `finished` when all are done; `failed` at the first failure. */
export type OperationStatus = 'in_process' | 'finished' | 'failed';

/**
 * Facts of a cluster's operations of one kind (one stream per cluster and kind). A new operation
 * starts over the last one once that one has ended.
 */
export type OperationEvent =
  | {
      readonly type: 'ClusterOperationStarted';
      readonly data: {
        readonly cluster: string;
        readonly kind: OperationKind;
        /** The image a deploy puts on the hosts; null for upgrade and restart. */
        readonly version: string | null;
        /** Members at the start, in the order they are worked on. */
        readonly hosts: readonly string[];
        readonly atMs: number;
      };
    }
  | { readonly type: 'ClusterOperationHostStarted'; readonly data: { readonly host: string; readonly atMs: number } }
  | { readonly type: 'ClusterOperationHostDone'; readonly data: { readonly host: string; readonly atMs: number } }
  /** The first failure ends the operation: no further host is worked on. */
  | { readonly type: 'ClusterOperationHostFailed'; readonly data: { readonly host: string; readonly reason: string; readonly atMs: number } }
  /** Every host is done. */
  | { readonly type: 'ClusterOperationFinished'; readonly data: { readonly atMs: number } };

/** What the routes (Start) and the operation's actor (the rest) ask. `nowMs`: epoch ms (UTC). */
export type OperationCommand =
  | {
      readonly type: 'Start';
      readonly cluster: string;
      readonly kind: OperationKind;
      /** Required for deploy (a labpool image); ignored otherwise. */
      readonly version: string | null;
      /** The cluster's members, looked up by the caller, in the order to work on them. */
      readonly hosts: readonly string[];
      readonly nowMs: number;
    }
  | { readonly type: 'HostStarted'; readonly host: string; readonly nowMs: number }
  | { readonly type: 'HostDone'; readonly host: string; readonly nowMs: number }
  | { readonly type: 'HostFailed'; readonly host: string; readonly reason: string; readonly nowMs: number };
