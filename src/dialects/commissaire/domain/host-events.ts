/**
 * A Commissaire host's life: `investigating` (labpool verifies the device and collects its facts) →
 * `bootstrapping` (made ready for its cluster) → `active` when its cluster has a container manager,
 * else `disassociated`; `failed` when either step fails.
 */
export type HostStatus = 'investigating' | 'bootstrapping' | 'active' | 'disassociated' | 'failed';

/** What investigation learnt of a host (GET /host/{address}). */
export type HostFacts = {
  /** The operating system's name (`atomic`, `fedora`…); '' when the device did not say. */
  readonly os: string;
  readonly cpus: number;
  readonly memoryKb: number;
  /** Disk space in kB. */
  readonly spaceKb: number;
  /** When the facts were collected, epoch ms (UTC). */
  readonly lastCheckMs: number;
};

/**
 * Facts of one host (one stream per address). Credentials appear only sealed (AES-256-GCM, sealed
 * outside the decider): `credsSealed` holds `ssh_priv_key` and `remote_user`; `keyFingerprint` is a
 * keyed digest of the key that lets a re-registration be compared without opening anything.
 */
export type HostEvent =
  | {
      readonly type: 'HostRegistered';
      readonly data: {
        readonly address: string;
        /** The labpool device the host is. */
        readonly device: string;
        readonly cluster: string | null;
        readonly credsSealed: string;
        readonly keyFingerprint: string;
        readonly atMs: number;
      };
    }
  | { readonly type: 'HostInvestigated'; readonly data: { readonly facts: HostFacts; readonly atMs: number } }
  | { readonly type: 'HostInvestigationFailed'; readonly data: { readonly reason: string; readonly atMs: number } }
  /** Bootstrap ended: `to` is `active` with a container manager, else `disassociated`. */
  | { readonly type: 'HostBootstrapped'; readonly data: { readonly to: 'active' | 'disassociated'; readonly atMs: number } }
  | { readonly type: 'HostBootstrapFailed'; readonly data: { readonly reason: string; readonly atMs: number } }
  /** Cluster membership changed through the cluster's routes: the host follows, to name its cluster. */
  | { readonly type: 'HostClusterAssigned'; readonly data: { readonly cluster: string | null; readonly atMs: number } }
  /** The record is gone; the address may register again, afresh. */
  | { readonly type: 'HostDeleted'; readonly data: { readonly atMs: number } };

/** What the routes and the host's actor ask of a host. `nowMs`: the caller's clock, epoch ms (UTC). */
export type HostCommand =
  | {
      readonly type: 'Register';
      readonly address: string;
      readonly device: string;
      readonly cluster: string | null;
      /** Whether `cluster` names an existing cluster, looked up by the caller (ignored when null). */
      readonly clusterExists: boolean;
      readonly credsSealed: string;
      readonly keyFingerprint: string;
      readonly nowMs: number;
    }
  | { readonly type: 'InvestigationSucceeded'; readonly facts: HostFacts; readonly nowMs: number }
  | { readonly type: 'InvestigationFailed'; readonly reason: string; readonly nowMs: number }
  /** `hasContainerManager`: whether the host's cluster has one, looked up by the caller. */
  | { readonly type: 'Bootstrapped'; readonly hasContainerManager: boolean; readonly nowMs: number }
  | { readonly type: 'BootstrapFailed'; readonly reason: string; readonly nowMs: number }
  | { readonly type: 'AssignCluster'; readonly cluster: string | null; readonly nowMs: number }
  | { readonly type: 'Delete'; readonly nowMs: number };

/** Commissaire's default ssh user when a registration names none. */
export const DEFAULT_REMOTE_USER = 'root';
