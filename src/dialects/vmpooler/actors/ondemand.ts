import type { ActorKind, ActorSystem } from '../../../actors/actor-system.js';
import type { Reaction } from '../../../actors/persistent-actor.js';
import { reactionMetadata, runDetached } from '../../../lab/lab-context.js';
import type { EventMetadata } from '../../../store/port.js';
import { missingFor, ondemandDecider, type OndemandCommand, type OndemandEvent, type OndemandState, type OndemandWant } from '../domain/ondemand-decider.js';
import { poolsNamed } from '../domain/pool-config.js';
import type { OndemandIndex } from '../projections/ondemand-index.js';
import type { VmpoolerLab } from './vmpooler-lab.js';

export type OndemandKind = ActorKind<OndemandCommand, OndemandEvent, OndemandState>;

const METADATA = { actor: 'vmpooler-ondemand' };
const MINUTE_MS = 60_000;

/** vmpooler's on-demand requests on a lab: their actor kind and the work that fills them. */
export interface Ondemand {
  readonly kind: OndemandKind;
  /**
   * Plans the pools a new request names again, once the read models have it: pools grow by what
   * their pending requests miss (a pool of size 0 builds only for them).
   */
  requested(wants: readonly OndemandWant[]): void;
  /** Tries again to fill the pending requests that name `pool` (its queues moved). */
  poolChanged(pool: string): void;
  /** Gives a request's hosts back (deleted or failed): their VMs go to completed, as a delete does. */
  releaseVms(state: OndemandState, cause: EventMetadata): Promise<void>;
  /** Fails the request when its deadline has passed and its alarm has not fired yet; the state after. */
  settle(id: string): Promise<OndemandState>;
  /** Arms the deadlines of pending requests and resumes filling them. Once, at start; how many. */
  resume(): number;
  stop(): void;
}

/**
 * On-demand requests on bare metal. vmpooler builds VMs for a request; labpool hands out pool
 * devices as their pools make them ready: each host is a normal checkout (its own VM, lifetime and
 * token rules), taken one at a time and recorded in the request's stream (`ondemand-<id>`). The
 * pool refills behind it, so a request bigger than the ready set fills as devices finish imaging.
 * At the deadline (`ondemandTimeoutMin`) an unfilled request fails and gives back what it took.
 */
export function attachOndemand(lab: VmpoolerLab, system: ActorSystem, index: OndemandIndex): Ondemand {
  const ctx = lab.context;
  const filling = new Set<string>();
  const again = new Set<string>();
  /** Fills wait for `resume`: the lab is whole (devices recovered, pools planning) by then. */
  let started = false;
  let stopped = false;

  const kind: OndemandKind = system.register({ category: 'ondemand', decider: ondemandDecider, react });

  function react({ id, events, state, metadata }: Reaction<OndemandEvent, OndemandState>): void {
    if (events.some((event) => event.type === 'OndemandRequested')) wake(id);
    if (events.some((event) => event.type === 'OndemandFailed' || event.type === 'OndemandDeleted')) {
      runDetached(ctx, `ondemand ${id} release`, () => releaseVms(state, reactionMetadata('vmpooler-ondemand', metadata)));
    }
  }

  async function releaseVms(state: OndemandState, cause: EventMetadata): Promise<void> {
    await Promise.all(
      state.vms.map(async (vm) => {
        if (ctx.pools.vm(vm.vmId) === undefined) return;
        const outcome = await ctx.kinds.vms.ask(vm.vmId, { type: 'Delete', reason: 'deleted', nowMs: ctx.nowMs() }, cause);
        if (outcome.ok && outcome.position !== undefined) await ctx.waitFor(outcome.position);
      }),
    );
  }

  /** Checks out what the request still misses, one host at a time, until the pools run dry. */
  async function fillOnce(id: string): Promise<void> {
    let { state } = await kind.read(id);
    if (state.id === null || state.status !== 'pending') return;
    if (ctx.nowMs() >= state.deadlineAtMs) {
      await kind.ask(id, { type: 'Timeout', deadline: { name: 'fill', atMs: state.deadlineAtMs }, nowMs: ctx.nowMs() }, METADATA);
      return;
    }
    const auth = state.user !== null && state.tokenHash !== null ? { user: state.user, tokenHash: state.tokenHash } : null;
    const cause = { actor: state.user === null ? 'vmpooler-ondemand' : `user:${state.user}`, correlationId: id };
    for (const want of state.wants) {
      while (!stopped && missingFor(state, want.name) > 0) {
        const result = await lab.checkout([{ name: want.name, count: 1 }], auth, cause);
        const vm = result.ok ? result.vms.get(want.name)?.[0] : undefined;
        // A shortage: the pool's next ready device wakes this request again.
        if (vm === undefined) break;
        const outcome = await kind.ask(id, { type: 'RecordVm', name: want.name, vmId: vm.id, pool: vm.pool, device: vm.device, nowMs: ctx.nowMs() }, cause);
        if (!outcome.ok) {
          // Deleted or failed meanwhile: the host goes back as any deleted VM does.
          await ctx.kinds.vms.ask(vm.id, { type: 'Delete', reason: 'deleted', nowMs: ctx.nowMs() }, cause);
          return;
        }
        state = outcome.state;
      }
    }
  }

  /** One fill at a time per request; a wake during a fill runs it once more after. */
  function wake(id: string): void {
    if (!started || stopped) return;
    if (filling.has(id)) {
      again.add(id);
      return;
    }
    filling.add(id);
    runDetached(ctx, `ondemand ${id} fill`, async () => {
      try {
        do {
          again.delete(id);
          await fillOnce(id);
        } while (again.has(id) && !stopped);
      } finally {
        filling.delete(id);
      }
    });
  }

  /** The pool a name's missing hosts are built in: the first of its pools (aliases may name several). */
  function buildPoolOf(name: string): string | undefined {
    return poolsNamed(ctx.config.pools, name)[0]?.name;
  }

  /**
   * Hosts the pending requests still miss in `pool`. Its ready devices are not subtracted: a request
   * takes them a moment later, and a pool planned as if they were spare would release them first.
   */
  function extraDemand(pool: string): number {
    let missing = 0;
    for (const state of index.pending()) for (const want of state.wants) if (buildPoolOf(want.name) === pool) missing += Math.max(0, missingFor(state, want.name));
    return missing;
  }
  lab.manager.setExtraDemand(extraDemand);

  function namesPool(state: OndemandState, pool: string): boolean {
    return state.wants.some((want) => poolsNamed(ctx.config.pools, want.name).some((candidate) => candidate.name === pool));
  }

  return {
    kind,
    poolChanged(pool) {
      // Called from the projection: only look when the pool has something to give.
      if (!started || stopped || ctx.pools.queues(pool).ready.length === 0) return;
      for (const state of index.pending()) if (state.id !== null && namesPool(state, pool)) wake(state.id);
    },
    releaseVms,
    requested(wants) {
      for (const want of wants) {
        const pool = buildPoolOf(want.name);
        if (pool !== undefined) lab.manager.reconcile(pool);
      }
    },
    async settle(id) {
      const { state } = await kind.read(id);
      if (state.id === null || state.status !== 'pending' || ctx.nowMs() < state.deadlineAtMs) return state;
      const outcome = await kind.ask(id, { type: 'Timeout', deadline: { name: 'fill', atMs: state.deadlineAtMs }, nowMs: ctx.nowMs() }, METADATA);
      return outcome.state;
    },
    resume() {
      started = true;
      let resumed = 0;
      for (const state of [...index.pending()]) {
        if (state.id === null) continue;
        kind.restoreDeadline(state.id, { name: 'fill', atMs: state.deadlineAtMs });
        wake(state.id);
        resumed++;
      }
      return resumed;
    },
    stop() {
      stopped = true;
    },
  };
}

/** The deadline of a request asked at `nowMs`, in ms after it. */
export function ondemandTimeoutMs(lab: VmpoolerLab): number {
  return lab.context.config.settings.ondemandTimeoutMin * MINUTE_MS;
}
