import type { ActorSystem } from '../../../actors/actor-system.js';
import type { Lab } from '../../../lab/lab.js';
import { createDeadlineIndex, type DeadlineIndex } from '../../../projections/deadline-index.js';
import type { MozpoolReadModels, RequestReadModel } from '../projections/mozpool-read-models.js';
import { createRequestDecider } from '../domain/request-decider.js';
import { requestIdsDecider } from '../domain/request-ids.js';
import type { RequestLimits } from '../domain/request-limits.js';
import { recoverHolders, type HolderRecovery } from './holder-recovery.js';
import type { LabCommands } from './lab-commands.js';
import { createLabCommands } from './lab-service.js';
import type { MozpoolKinds, MozpoolLabContext } from './mozpool-context.js';
import { createRequestActor, createRequestHolderReactions } from './request-actor.js';
import { REQUEST_PEER_COMMANDS } from './request-peer-commands.js';

export type MozpoolLabOptions = {
  readonly system: ActorSystem;
  /** MozPool's request read model, fed by the same projection runner as the lab's. */
  readonly requests: RequestReadModel;
  /** Fed by the same projection runner; `restoreRequestDeadlines` arms from it. */
  readonly requestDeadlines: DeadlineIndex;
  readonly requestLimits?: RequestLimits;
};

/** The core lab with MozPool's request actors on it, and the commands MozPool's routes send them. */
export type MozpoolLab = Omit<Lab, 'context'> & {
  readonly context: MozpoolLabContext;
  readonly readModels: MozpoolReadModels;
  readonly commands: LabCommands;
  /**
   * Arms the deadline the log records for every open request of this server (see
   * `Lab.restoreDeviceDeadlines`). Once, at start: it releases the request deadline index.
   */
  restoreRequestDeadlines(): number;
  /**
   * Finishes what reactions a crash cut short between devices and their requests (see
   * `recoverHolders`). Once, at start, after the read models caught up and before the deadlines are armed.
   */
  recoverHolders(scope?: ReadonlySet<string>): Promise<HolderRecovery>;
  /**
   * Runs here the open requests server `from` took (a handover of a dead server): each records it
   * (`RequestHandedOver`), and loading its actor arms its deadline. Returns their ids.
   */
  takeOverRequests(from: string): Promise<readonly number[]>;
};

/** The deadline index of MozPool's requests; hand it to the projection runner with the read models. */
export function createRequestDeadlineIndex(): DeadlineIndex {
  // Limits change decisions, never evolve or nextDeadline: the default decider folds the same deadlines.
  return createDeadlineIndex('request', createRequestDecider());
}

/** MozPool on the core lab: its request actors and id allocator, and their reactions to devices. */
export function attachMozpoolLab(core: Lab, options: MozpoolLabOptions): MozpoolLab {
  const readModels: MozpoolReadModels = { ...core.context.readModels, requests: options.requests };
  let kinds: MozpoolKinds | undefined = undefined;
  const context: MozpoolLabContext = {
    ...core.context,
    readModels,
    get kinds(): MozpoolKinds {
      if (kinds === undefined) throw new Error('the MozPool lab is still registering its actors');
      return kinds;
    },
  };
  const localRequests = options.system.register(createRequestActor(context, options.requestLimits));
  kinds = {
    ...core.context.kinds,
    // A request runs on the server that opened it; one this server's read model does not know yet is looked up in the store.
    requests: context.peers.route('request', localRequests, (id) => options.requests.get(Number(id))?.imaging_server ?? context.peers.firstWriterOf(`request-${id}`), REQUEST_PEER_COMMANDS),
    requestIds: options.system.register({ category: 'requestids', decider: requestIdsDecider }),
  };
  context.holders.register(createRequestHolderReactions(context));
  const { serverId } = context;
  return {
    ...core,
    context,
    readModels,
    commands: createLabCommands(context, core.waitFor),
    recoverHolders: (scope) => recoverHolders(context, scope),
    async takeOverRequests(from) {
      const taken = options.requests.list(false).filter((request) => request.imaging_server === from && !request.closed && !request.state.startsWith('failed_'));
      const nowMs = context.nowMs();
      // On this server's own actors: the routed kind would send them to `from`, which is gone.
      const outcomes = await Promise.all(taken.map(async ({ id }) => ({ id, outcome: await localRequests.ask(String(id), { type: 'HandOver', from, to: serverId, nowMs }, { actor: 'handover' }) })));
      return outcomes.filter(({ outcome }) => outcome.ok).map(({ id }) => id);
    },
    restoreRequestDeadlines() {
      let requests = 0;
      for (const request of options.requests.list(false)) {
        const id = String(request.id);
        const deadline = request.imaging_server === serverId ? options.requestDeadlines.deadlineOf(id) : undefined;
        if (deadline === undefined) continue;
        context.kinds.requests.restoreDeadline(id, deadline);
        requests++;
      }
      options.requestDeadlines.release();
      return requests;
    },
  };
}
