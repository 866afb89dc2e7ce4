import type { ActorSystem } from '../../../actors/actor-system.js';
import type { Lab } from '../../../lab/lab.js';
import type { CommissaireSettings } from '../commissaire-config.js';
import type { StartedOperation } from '../domain/operation-decider.js';
import type { CommissaireViews } from '../projections/commissaire-views.js';
import { createClusterActor, createContainerManagerActor, createHostActor, createNetworkActor, createOperationActor } from './commissaire-actors.js';
import type { CommissaireContext, CommissaireKinds } from './commissaire-context.js';
import type { CommissaireLab } from './commissaire-lab.js';
import { recoverCommissaire, type CommissaireRecovery } from './commissaire-recovery.js';
import { addClusterHost, createCluster, createConfigRecord, deleteCluster, deleteConfigRecord, removeClusterHost, replaceClusterHosts, startOperation } from './cluster-commands.js';
import { deleteHost, hostCreds, registerHost } from './host-commands.js';
import { createHostDeviceReactions } from './host-work.js';

export type CommissaireLabOptions = {
  readonly system: ActorSystem;
  readonly views: CommissaireViews;
  readonly settings: CommissaireSettings;
  readonly onOperationEnded?: (operation: StartedOperation) => void;
};

/** Commissaire on a running lab: its commands, and what the composition root and tests need. */
export type AttachedCommissaireLab = CommissaireLab & { readonly context: CommissaireContext; recover(scope?: ReadonlySet<string>): Promise<CommissaireRecovery> };

/** Puts Commissaire's actors and its device holder reactions on the core lab. */
export function attachCommissaireLab(core: Lab, options: CommissaireLabOptions): AttachedCommissaireLab {
  let kinds: CommissaireKinds | undefined = undefined;
  const ctx: CommissaireContext = {
    ...core.context,
    views: options.views,
    settings: options.settings,
    waitFor: core.waitFor,
    reports: new Map(),
    onOperationEnded: options.onOperationEnded ?? (() => undefined),
    get kinds(): CommissaireKinds {
      if (kinds === undefined) throw new Error('the Commissaire lab is still registering its actors');
      return kinds;
    },
  };
  const { system } = options;
  kinds = {
    ...core.context.kinds,
    hosts: system.register(createHostActor(ctx)),
    clusters: system.register(createClusterActor(ctx)),
    networks: system.register(createNetworkActor()),
    containerManagers: system.register(createContainerManagerActor()),
    operations: system.register(createOperationActor(ctx)),
  };
  ctx.holders.register(createHostDeviceReactions(ctx));
  return {
    context: ctx,
    views: options.views,
    registerHost: (registration) => registerHost(ctx, registration),
    deleteHost: (address, by) => deleteHost(ctx, address, by),
    hostCreds: (address) => hostCreds(ctx, address),
    createCluster: (creation) => createCluster(ctx, creation),
    deleteCluster: (name, by) => deleteCluster(ctx, name, by),
    addClusterHost: (name, address, by) => addClusterHost(ctx, name, address, by),
    removeClusterHost: (name, address, by) => removeClusterHost(ctx, name, address, by),
    replaceClusterHosts: (name, old, hosts, by) => replaceClusterHosts(ctx, name, old, hosts, by),
    createConfigRecord: (kind, creation) => createConfigRecord(ctx, kind, creation),
    deleteConfigRecord: (kind, name, by) => deleteConfigRecord(ctx, kind, name, by),
    startOperation: (cluster, kind, version, by) => startOperation(ctx, cluster, kind, version, by),
    recover: (scope) => recoverCommissaire(ctx, scope),
  };
}
