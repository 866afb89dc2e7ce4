import type { ActorKind } from '../../../actors/actor-system.js';
import type { Holder } from '../../../domain/holders/holder.js';
import type { LabContext, LabKinds } from '../../../lab/lab-context.js';
import type { WaitForPosition } from '../../../lab/lab.js';
import type { EventMetadata } from '../../../store/port.js';
import type { CommissaireSettings } from '../commissaire-config.js';
import type { ClusterCommand, ClusterEvent, ClusterState } from '../domain/cluster-decider.js';
import type { ConfigRecordCommand, ConfigRecordState, ContainerManagerEvent, NetworkEvent } from '../domain/config-record-decider.js';
import type { HostCommand, HostEvent, HostState } from '../domain/host-decider.js';
import type { OperationCommand, OperationEvent, OperationState, StartedOperation } from '../domain/operation-decider.js';
import type { CommissaireViews } from '../projections/commissaire-views.js';
import type { HardwareSummary } from '../../../domain/device/hardware-facts.js';

export type CommissaireKinds = LabKinds & {
  readonly hosts: ActorKind<HostCommand, HostEvent, HostState>;
  readonly clusters: ActorKind<ClusterCommand, ClusterEvent, ClusterState>;
  readonly networks: ActorKind<ConfigRecordCommand, NetworkEvent, ConfigRecordState>;
  readonly containerManagers: ActorKind<ConfigRecordCommand, ContainerManagerEvent, ConfigRecordState>;
  readonly operations: ActorKind<OperationCommand, OperationEvent, OperationState>;
};

/** A hardware report a held device posted, as the host's investigation reads it. */
export type ReportedFacts = { readonly summary: HardwareSummary; readonly atMs: number };

/** What Commissaire's actors and commands share: the core lab's context with its own kinds and views. */
export type CommissaireContext = Omit<LabContext, 'kinds'> & {
  readonly kinds: CommissaireKinds;
  readonly views: CommissaireViews;
  readonly settings: CommissaireSettings;
  readonly waitFor: WaitForPosition;
  /**
   * The newest report each held device posted since this process started, by device: the self-test's
   * report reaches the host before the self-test's end, whatever the lag of the read models.
   */
  readonly reports: Map<string, ReportedFacts>;
  /** An operation of this server ended (metrics). */
  readonly onOperationEnded: (operation: StartedOperation) => void;
};

/**
 * A Commissaire host holds its device from registration to deletion: the holder is of kind
 * `commissaire_cluster` (its devices are not free for the other families) and its id is the host's
 * address, so that what the device tells reaches the host it is.
 */
export function hostHolder(address: string): Holder {
  return { kind: 'commissaire_cluster', id: address };
}

/** Metadata of the commands Commissaire's routes send. */
export function commissaireMetadata(by: string): EventMetadata {
  return { actor: by };
}
