import type { PresentCluster } from '../domain/cluster-decider.js';
import type { RegisteredHost } from '../domain/host-decider.js';
import type { OperationKind, StartedOperation } from '../domain/operation-decider.js';
import type { ConfigRecord, ConfigRecordKind } from '../actors/commissaire-lab.js';

/** Commissaire's read models, folded from its streams: what every GET answers from. */
export interface CommissaireViews {
  host(address: string): RegisteredHost | undefined;
  /** Registered hosts, by address. */
  hosts(): readonly RegisteredHost[];
  /** The host that holds device `device`, if any. */
  hostOfDevice(device: string): RegisteredHost | undefined;
  cluster(name: string): PresentCluster | undefined;
  /** Clusters, by name. */
  clusters(): readonly PresentCluster[];
  configRecord(kind: ConfigRecordKind, name: string): ConfigRecord | undefined;
  /** Records of one kind, by name. */
  configRecords(kind: ConfigRecordKind): readonly ConfigRecord[];
  /** The latest operation of `kind` on `cluster`, if one ever started. */
  operation(cluster: string, kind: OperationKind): StartedOperation | undefined;
  /** Operations still in process (recovery carries them on). */
  openOperations(): readonly StartedOperation[];
}
