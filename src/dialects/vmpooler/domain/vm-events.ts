/** Facts of one checkout (stream `vm-<id>`): who has the device, for how long, with which tags. */
export type VmEvent =
  | {
      readonly type: 'VmCheckedOut';
      readonly data: {
        readonly id: string;
        readonly pool: string;
        readonly device: string;
        /** The token's user, or null when checked out without a token. */
        readonly user: string | null;
        /** SHA-256 of the token it was checked out with (never the token), or null. */
        readonly tokenHash: string | null;
        readonly lifetimeH: number;
        readonly atMs: number;
      };
    }
  | { readonly type: 'VmLifetimeSet'; readonly data: { readonly lifetimeH: number; readonly atMs: number } }
  /** Tags added or replaced (vmpooler merges, it never removes a tag). */
  | { readonly type: 'VmTagged'; readonly data: { readonly tags: Readonly<Record<string, string>>; readonly atMs: number } }
  /** Extra storage asked for: on bare metal a recorded request, no disk is attached. */
  | { readonly type: 'VmDiskAdded'; readonly data: { readonly sizeGb: number; readonly atMs: number } }
  /** An image capture asked for: on bare metal recorded, not taken. */
  | { readonly type: 'VmSnapshotTaken'; readonly data: { readonly snapshot: string; readonly atMs: number } }
  | { readonly type: 'VmSnapshotReverted'; readonly data: { readonly snapshot: string; readonly atMs: number } }
  | { readonly type: 'VmDeleted'; readonly data: { readonly reason: 'deleted' | 'expired'; readonly atMs: number } };

export type VmCommand =
  | {
      readonly type: 'CheckOut';
      readonly id: string;
      readonly pool: string;
      readonly device: string;
      readonly user: string | null;
      readonly tokenHash: string | null;
      readonly lifetimeH: number;
      readonly nowMs: number;
    }
  | { readonly type: 'SetLifetime'; readonly lifetimeH: number; readonly nowMs: number }
  | { readonly type: 'Tag'; readonly tags: Readonly<Record<string, string>>; readonly nowMs: number }
  | { readonly type: 'AddDisk'; readonly sizeGb: number; readonly nowMs: number }
  | { readonly type: 'Snapshot'; readonly snapshot: string; readonly nowMs: number }
  | { readonly type: 'Revert'; readonly snapshot: string; readonly nowMs: number }
  | { readonly type: 'Delete'; readonly reason: 'deleted' | 'expired'; readonly nowMs: number }
  | { readonly type: 'Timeout'; readonly deadline: { readonly name: string; readonly atMs: number }; readonly nowMs: number };
