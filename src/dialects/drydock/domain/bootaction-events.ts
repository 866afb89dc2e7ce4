import type { Json } from '../../../domain/json.js';

/** Where a bootaction stands: `pending` waits for the node's final report; `unreported` never gets one. */
export type BootactionStatus = 'pending' | 'unreported' | 'success' | 'failure';

/** A bootaction's final outcome, as the node reported it (lowercased). */
export type BootactionOutcome = 'success' | 'failure';

/** One rendered asset as the node receives it: an entry of its `units` or `files` tarball. */
export type IssuedAsset = {
  /** Absolute path on the node: the tar entry name. */
  readonly path: string;
  readonly type: 'unit' | 'file';
  /** File mode, e.g. 0o644. */
  readonly permissions: number;
  readonly data: string;
};

/** One detail message of a report; fields the node added beyond `message` and `error` are kept in `extra`. */
export type BootactionDetail = {
  readonly message: string;
  readonly error: boolean;
  readonly extra: Readonly<Record<string, Json>>;
};

/** Facts of one bootaction of one node in one deploy (stream `bootaction-<ulid>`). */
export type BootactionEvent =
  | {
      readonly type: 'BootactionIssued';
      readonly data: {
        readonly actionId: string;
        readonly actionName: string;
        readonly node: string;
        readonly taskId: string;
        /** 64 hex characters, shared by every bootaction of this node in this deploy. */
        readonly key: string;
        readonly signaling: boolean;
        /** `pending` when the node signals, else `unreported`. */
        readonly status: 'pending' | 'unreported';
        readonly assets: readonly IssuedAsset[];
        /** The URL the node's client appends `<action id>/` to. */
        readonly reportUrl: string;
        readonly atMs: number;
      };
    }
  /** A report without `status`: more details, the action still pending. */
  | { readonly type: 'BootactionDetailsAdded'; readonly data: { readonly details: readonly BootactionDetail[]; readonly atMs: number } }
  /** The final report: nothing changes the action after it. */
  | {
      readonly type: 'BootactionReported';
      readonly data: { readonly status: BootactionOutcome; readonly details: readonly BootactionDetail[]; readonly atMs: number };
    };

export type BootactionCommand =
  | {
      readonly type: 'Issue';
      readonly actionId: string;
      readonly actionName: string;
      readonly node: string;
      readonly taskId: string;
      readonly key: string;
      readonly signaling: boolean;
      /** Already rendered for the node. */
      readonly assets: readonly IssuedAsset[];
      readonly reportUrl: string;
      readonly nowMs: number;
    }
  | {
      readonly type: 'Report';
      /** The `X-Bootaction-Key` header; null when the request had none. */
      readonly key: string | null;
      /** The parsed JSON body, unchecked. */
      readonly body: unknown;
      readonly nowMs: number;
    };
