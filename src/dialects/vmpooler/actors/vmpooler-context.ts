import type { ActorKind } from '../../../actors/actor-system.js';
import type { LabContext, LabKinds } from '../../../lab/lab-context.js';
import type { WaitForPosition } from '../../../lab/lab.js';
import type { PoolConfig, VmpoolerSettings } from '../domain/pool-config.js';
import type { PoolCommand, PoolEvent, PoolState } from '../domain/pool-decider.js';
import type { VmState } from '../domain/vm-decider.js';
import type { VmCommand, VmEvent } from '../domain/vm-events.js';
import type { PoolReadModel } from '../projections/pool-views.js';

export type VmKind = ActorKind<VmCommand, VmEvent, VmState>;
export type PoolKind = ActorKind<PoolCommand, PoolEvent, PoolState>;

export type VmpoolerKinds = LabKinds & { readonly vms: VmKind; readonly pools: PoolKind };

/** vmpooler's configuration: its pools (as configured, before run-time overrides) and settings. */
export type VmpoolerConfig = {
  readonly pools: readonly PoolConfig[];
  readonly settings: VmpoolerSettings;
};

/** What vmpooler's actors and services share: the core lab's context with vmpooler's kinds, queues and config. */
export type VmpoolerContext = Omit<LabContext, 'kinds'> & {
  readonly kinds: VmpoolerKinds;
  readonly pools: PoolReadModel;
  readonly config: VmpoolerConfig;
  readonly waitFor: WaitForPosition;
};
