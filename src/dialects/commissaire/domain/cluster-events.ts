import type { HostStatus } from './host-events.js';

/**
 * Facts of one cluster (one stream per name). Membership events name the hosts that came and went,
 * so that a reaction can attach or release their devices without reading the state before.
 */
export type ClusterEvent =
  | {
      readonly type: 'ClusterCreated';
      readonly data: { readonly name: string; readonly network: string; readonly containerManager: string | null; readonly atMs: number };
    }
  | { readonly type: 'ClusterHostAdded'; readonly data: { readonly address: string; readonly atMs: number } }
  | { readonly type: 'ClusterHostRemoved'; readonly data: { readonly address: string; readonly atMs: number } }
  /** The whole membership at once: `hosts` is the new list; `added` and `removed` the difference. */
  | {
      readonly type: 'ClusterHostsReplaced';
      readonly data: { readonly hosts: readonly string[]; readonly added: readonly string[]; readonly removed: readonly string[]; readonly atMs: number };
    }
  /** `hosts`: the members it had, now released. The name may be created again, afresh. */
  | { readonly type: 'ClusterDeleted'; readonly data: { readonly hosts: readonly string[]; readonly atMs: number } };

/** What the routes ask of a cluster. `nowMs`: the caller's clock, epoch ms (UTC). */
export type ClusterCommand =
  | {
      readonly type: 'Create';
      readonly name: string;
      /** Null when the body named none: Commissaire's `default` network. */
      readonly network: string | null;
      readonly containerManager: string | null;
      readonly nowMs: number;
    }
  | { readonly type: 'AddHost'; readonly address: string; readonly nowMs: number }
  | { readonly type: 'RemoveHost'; readonly address: string; readonly nowMs: number }
  | {
      readonly type: 'ReplaceHosts';
      /** The membership the client believes current; compared as a set. */
      readonly old: readonly string[];
      readonly new: readonly string[];
      /**
       * The status of every host in `new` that is not a member yet, looked up by the caller; a host with
       * no record is missing or null.
       */
      readonly addedStatuses: Readonly<Record<string, HostStatus | null>>;
      readonly nowMs: number;
    }
  | { readonly type: 'Delete'; readonly nowMs: number };

/** The network a cluster uses when its creation names none. */
export const DEFAULT_NETWORK = 'default';
