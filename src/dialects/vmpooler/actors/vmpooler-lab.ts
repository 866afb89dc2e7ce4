import type { ActorSystem } from '../../../actors/actor-system.js';
import type { Lab } from '../../../lab/lab.js';
import { createDeadlineIndex, type DeadlineIndex } from '../../../projections/deadline-index.js';
import { poolDecider } from '../domain/pool-decider.js';
import { vmDecider } from '../domain/vm-decider.js';
import type { PoolViews } from '../projections/pool-views.js';
import { createCheckout, type Checkout } from './checkout.js';
import { createPoolManager, type PoolManager } from './pool-manager.js';
import { createVmActor } from './vm-actor.js';
import { recoverVms } from './vm-recovery.js';
import type { VmpoolerConfig, VmpoolerContext, VmpoolerKinds } from './vmpooler-context.js';

/** vmpooler on the core lab: its VM and pool actors, the pool manager and the checkout. */
export type VmpoolerLab = {
  readonly context: VmpoolerContext;
  readonly manager: PoolManager;
  readonly checkout: Checkout['checkout'];
  /** Gives back devices a crash left with a VM that is not open; how many. Once, at start. */
  recover(scope?: ReadonlySet<string>): Promise<number>;
  /** Arms the expiry of every open VM. Once, at start, after `recover`. */
  restoreDeadlines(): number;
};

/** The deadline index of VMs (their expiry); hand it to the projection runner. */
export function createVmDeadlineIndex(): DeadlineIndex {
  return createDeadlineIndex('vm', vmDecider);
}

export function attachVmpoolerLab(core: Lab, options: { readonly system: ActorSystem; readonly pools: PoolViews; readonly vmDeadlines: DeadlineIndex; readonly config: VmpoolerConfig }): VmpoolerLab {
  let kinds: VmpoolerKinds | undefined = undefined;
  const context: VmpoolerContext = {
    ...core.context,
    pools: options.pools,
    config: options.config,
    waitFor: core.waitFor,
    get kinds(): VmpoolerKinds {
      if (kinds === undefined) throw new Error('the vmpooler lab is still registering its actors');
      return kinds;
    },
  };
  kinds = {
    ...core.context.kinds,
    vms: options.system.register(createVmActor(context)),
    pools: options.system.register({ category: 'pool', decider: poolDecider }),
  };
  const manager = createPoolManager(context);
  const checkouts = createCheckout(context, (name) => manager.effective(name));
  return {
    context,
    manager,
    checkout: (wants, auth, cause) => checkouts.checkout(wants, auth, cause),
    recover: (scope) => recoverVms(context, scope),
    restoreDeadlines() {
      let armed = 0;
      for (const vm of options.pools.runningVms()) {
        if (vm.id === null) continue;
        const deadline = options.vmDeadlines.deadlineOf(vm.id);
        if (deadline === undefined) continue;
        context.kinds.vms.restoreDeadline(vm.id, deadline);
        armed++;
      }
      options.vmDeadlines.release();
      return armed;
    },
  };
}
