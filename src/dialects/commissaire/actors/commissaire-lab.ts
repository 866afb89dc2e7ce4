import type { HostCreds } from '../creds/sealed-creds.js';
import type { PresentCluster } from '../domain/cluster-decider.js';
import type { ConfigOptions } from '../domain/config-record-decider.js';
import type { RegisteredHost } from '../domain/host-decider.js';
import type { OperationKind, StartedOperation } from '../domain/operation-decider.js';
import type { CommissaireViews } from '../projections/commissaire-views.js';

/**
 * What a Commissaire command came to: its result, or a refusal with the HTTP status Commissaire
 * answers it with (the body is the status's bare reason phrase; `message` is for the log).
 */
export type CommissaireOutcome<Value> = { readonly ok: true; readonly value: Value } | { readonly ok: false; readonly status: 400 | 404 | 405 | 409; readonly message: string };

/** A host registration as the routes read it off `PUT /host[/{address}]`. */
export type HostRegistration = {
  readonly address: string;
  /** base64 as the client sent it; stored only sealed. */
  readonly sshPrivKey: string;
  /** Null when the body named none (`root`). */
  readonly remoteUser: string | null;
  readonly cluster: string | null;
  /** The labpool user who asked (audit). */
  readonly by: string;
};

export type ClusterCreation = { readonly name: string; readonly network: string | null; readonly containerManager: string | null; readonly by: string };

export type ConfigRecordCreation = { readonly name: string; readonly recordType: string; readonly options: unknown; readonly by: string };

/** `network` (flannel_etcd|flannel_server) or `containermanager` (openshift|trivial). */
export type ConfigRecordKind = 'network' | 'containermanager';

/** A config record as its views keep it. */
export type ConfigRecord = { readonly name: string; readonly recordType: string; readonly options: ConfigOptions };

/**
 * Commissaire on the core lab: the commands behind its routes. Every command resolves once the read
 * models show its effect (read-your-writes), so a GET right after it sees it.
 */
export type CommissaireLab = {
  readonly views: CommissaireViews;
  /**
   * Registers a host: its address must name a labpool device (fqdn or name), which the host then holds
   * (409 when someone else holds it). Identical re-registration succeeds; another key → 409.
   */
  registerHost(registration: HostRegistration): Promise<CommissaireOutcome<RegisteredHost>>;
  /** Deletes a host record, removes it from its cluster and frees its device; 404 when unknown. */
  deleteHost(address: string, by: string): Promise<CommissaireOutcome<null>>;
  /** The host's credentials, opened; 404 when unknown. */
  hostCreds(address: string): CommissaireOutcome<HostCreds>;
  createCluster(creation: ClusterCreation): Promise<CommissaireOutcome<PresentCluster>>;
  deleteCluster(name: string, by: string): Promise<CommissaireOutcome<null>>;
  /** Individual member PUT (200). The host need not be registered, as in Commissaire. */
  addClusterHost(name: string, address: string, by: string): Promise<CommissaireOutcome<PresentCluster>>;
  removeClusterHost(name: string, address: string, by: string): Promise<CommissaireOutcome<PresentCluster>>;
  /** `PUT /cluster/{name}/hosts {old, new}`: 409 when `old` is not the current set, 405 for a host not yet set up. */
  replaceClusterHosts(name: string, old: readonly string[], hosts: readonly string[], by: string): Promise<CommissaireOutcome<PresentCluster>>;
  createConfigRecord(kind: ConfigRecordKind, creation: ConfigRecordCreation): Promise<CommissaireOutcome<ConfigRecord>>;
  deleteConfigRecord(kind: ConfigRecordKind, name: string, by: string): Promise<CommissaireOutcome<null>>;
  /**
   * Starts a cluster operation (`version`: a labpool image, required for deploy); 404 for an unknown
   * cluster, 400 for a deploy without a known image, 409 while one of the same kind is in process.
   */
  startOperation(cluster: string, kind: OperationKind, version: string | null, by: string): Promise<CommissaireOutcome<StartedOperation>>;
};
