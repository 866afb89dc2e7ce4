import { createCoreLab, createDeviceDeadlineIndex, type Lab, type LabOptions } from '../../../lab/lab.js';
import { createDeadlineIndex, type DeadlineIndex } from '../../../projections/deadline-index.js';
import { createRequestDecider } from '../domain/request-decider.js';
import { requestIdsDecider } from '../domain/request-ids.js';
import type { RequestLimits } from '../domain/request-limits.js';
import { recoverHolders, type HolderRecovery } from './holder-recovery.js';
import type { LabCommands } from './lab-commands.js';
import { createLabCommands } from './lab-service.js';
import type { MozpoolKinds, MozpoolLabContext } from './mozpool-context.js';
import { createRequestActor, createRequestHolderReactions } from './request-actor.js';

export type MozpoolLabOptions = Omit<LabOptions, 'deviceDeadlines'> & {
  /** Fed by the same projection runner as the read models; `restoreDeadlines` arms from them. */
  readonly deadlines: MozpoolDeadlineIndexes;
  readonly requestLimits?: RequestLimits;
};

/** The core lab with MozPool's request actors on it, and the commands MozPool's routes send them. */
export type MozpoolLab = Omit<Lab, 'context'> & {
  readonly context: MozpoolLabContext;
  readonly commands: LabCommands;
  /**
   * Arms the deadline the log records for every device and open request of this server (see
   * `Lab.restoreDeviceDeadlines`). Once, at start: it releases the deadline indexes.
   */
  restoreDeadlines(): { readonly devices: number; readonly requests: number };
  /**
   * Finishes what reactions a crash cut short between devices and their requests (see
   * `recoverHolders`). Once, at start, after the read models caught up and before `restoreDeadlines`.
   */
  recoverHolders(): Promise<HolderRecovery>;
};

/** The deadline indexes a MozPool lab restores from; hand them to the projection runner with the read models. */
export type MozpoolDeadlineIndexes = { readonly devices: DeadlineIndex; readonly requests: DeadlineIndex };

export function createLabDeadlineIndexes(): MozpoolDeadlineIndexes {
  // Limits change decisions, never evolve or nextDeadline: the default deciders fold the same deadlines.
  return { devices: createDeviceDeadlineIndex(), requests: createDeadlineIndex('request', createRequestDecider()) };
}

/** MozPool's lab: the core lab, its request actors and id allocator, and their reactions to devices. */
export function createLab(options: MozpoolLabOptions): MozpoolLab {
  const core = createCoreLab({ ...options, deviceDeadlines: options.deadlines.devices });
  let kinds: MozpoolKinds | undefined = undefined;
  const context: MozpoolLabContext = {
    ...core.context,
    get kinds(): MozpoolKinds {
      if (kinds === undefined) throw new Error('the MozPool lab is still registering its actors');
      return kinds;
    },
  };
  kinds = {
    ...core.context.kinds,
    requests: options.system.register(createRequestActor(context, options.requestLimits)),
    requestIds: options.system.register({ category: 'requestids', decider: requestIdsDecider }),
  };
  context.holders.register(createRequestHolderReactions(context));
  const { readModels, serverId } = context;
  return {
    ...core,
    context,
    commands: createLabCommands(context, options.waitFor),
    recoverHolders: () => recoverHolders(context),
    restoreDeadlines() {
      const devices = core.restoreDeviceDeadlines();
      let requests = 0;
      for (const request of readModels.requests.list(false)) {
        const id = String(request.id);
        const deadline = request.imaging_server === serverId ? options.deadlines.requests.deadlineOf(id) : undefined;
        if (deadline === undefined) continue;
        context.kinds.requests.restoreDeadline(id, deadline);
        requests++;
      }
      options.deadlines.requests.release();
      return { devices, requests };
    },
  };
}
