import type { DeviceCommand } from '../../../domain/device/device-commands.js';
import type { LogPosition } from '../../../store/port.js';
import type { PoolConfig } from '../domain/pool-config.js';
import { planPool, type PoolAction } from '../domain/pool-plan.js';
import { poolHolder } from '../domain/vm-holder.js';
import type { VmpoolerContext } from './vmpooler-context.js';

const METADATA = { actor: 'vmpooler' };
const MINUTE_MS = 60_000;
/** A pool short of devices looks for free ones this often (a lease returned elsewhere frees one). */
const SHORT_POOL_RETRY_MS = 2_000;

export interface PoolManager {
  /** Plans pool `name` again soon (coalesced: one run at a time per pool, and one more if asked meanwhile). */
  reconcile(name: string): void;
  /** Starts planning: every pool once now, then as their queues move and as ready devices go stale. */
  start(): void;
  stop(): void;
  /** The pool with its run-time overrides applied; undefined for an unknown name. */
  effective(name: string): PoolConfig | undefined;
  /** Resolves once no pool is being planned or has a plan pending (tests, benchmarks). */
  idle(): Promise<void>;
  /** How many devices a pool builds beyond its size for the on-demand requests waiting on it. */
  setExtraDemand(demand: (pool: string) => number): void;
}

/**
 * vmpooler's pool manager for bare metal: runs `planPool` for a pool whenever its queues change (the
 * projection says so) and sends the actions as device commands. Its state is the log's: after a crash
 * it plans from what the read models show, and every command it sends is idempotent.
 */
export function createPoolManager(ctx: VmpoolerContext): PoolManager {
  const configs = new Map(ctx.config.pools.map((pool) => [pool.name, pool]));
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  let started = false;
  let staleTimer: NodeJS.Timeout | undefined;
  let extraDemand: (pool: string) => number = () => 0;

  function effective(name: string): PoolConfig | undefined {
    const base = configs.get(name);
    if (base === undefined) return undefined;
    const overrides = ctx.pools.overrides(name);
    return { ...base, size: overrides.size ?? base.size, image: overrides.image ?? base.image };
  }

  /** Free devices of this server that the pool may take, not yet taken by another pool's plan. */
  function* candidates(pool: PoolConfig): Iterable<string> {
    // Read lazily: the plan takes only its shortfall, however many devices are free.
    for (const device of ctx.readModels.devices.free(pool.environment ?? 'any')) {
      if (device.imagingServer !== ctx.serverId) continue;
      if (pool.hardwareType !== null && device.hardwareType !== pool.hardwareType) continue;
      yield device.name;
    }
  }

  function commandFor(pool: PoolConfig, action: PoolAction): DeviceCommand {
    const nowMs = ctx.nowMs();
    switch (action.type) {
      case 'take':
        return { type: 'AttachHolder', holder: poolHolder(pool.name), nowMs };
      case 'release':
        return { type: 'DetachHolder', holder: poolHolder(pool.name), reason: action.why, nowMs };
      case 'image': {
        const hardwareType = ctx.readModels.devices.get(action.device)?.hardwareType ?? '';
        const pxeConfig = ctx.readModels.images.pxeConfigFor(pool.image, hardwareType)?.name ?? null;
        return { type: 'PleaseImage', image: pool.image, bootConfig: pool.bootConfig, pxeConfig, nowMs };
      }
    }
  }

  /** Plans and acts once; true when another pool took a device this plan wanted (plan again). */
  async function runPlan(name: string): Promise<boolean> {
    const pool = effective(name);
    if (pool === undefined) return false;
    // The queues hold this server's devices only (only it runs their actors): `size` is per server.
    const queues = ctx.pools.queues(name);
    const input = {
      waiting: queues.waiting,
      imaging: queues.imaging.length,
      completed: queues.completed,
      failed: queues.failed,
      readyCount: queues.ready.length,
      readyWithImage: (image: string) => queues.readyWithImage(image),
      readyOldestFirst: () => queues.readyOldestFirst(),
    };
    // On-demand requests waiting on the pool grow it for now; once served, the surplus goes.
    const target = { ...pool, size: pool.size + extraDemand(name) };
    const actions = planPool({ pool: target, queues: input, candidates: candidates(pool), resetAtMs: ctx.pools.overrides(name).resetAtMs, nowMs: ctx.nowMs() });
    let latest: LogPosition | undefined;
    let lostOne = false;
    const taken = new Set<string>();
    // Per device in order (take before its image); devices in parallel.
    const byDevice = new Map<string, PoolAction[]>();
    for (const action of actions) byDevice.set(action.device, [...(byDevice.get(action.device) ?? []), action]);
    await Promise.all(
      [...byDevice].map(async ([device, steps]) => {
        for (const step of steps) {
          if (step.type === 'image' && steps[0]?.type === 'take' && !taken.has(device)) return;
          const outcome = await ctx.kinds.devices.ask(device, commandFor(pool, step), METADATA);
          if (!outcome.ok) {
            lostOne ||= step.type === 'take';
            return;
          }
          if (step.type === 'take') taken.add(device);
          if (outcome.position !== undefined && (latest === undefined || outcome.position > latest)) latest = outcome.position;
        }
      }),
    );
    // The next plan must see what this one did, or it would take the same shortfall again.
    if (latest !== undefined) await ctx.waitFor(latest);
    return lostOne;
  }

  function reconcile(name: string): void {
    if (!started || !configs.has(name)) return;
    if (running.has(name)) {
      again.add(name);
      return;
    }
    const run = (async () => {
      try {
        do {
          again.delete(name);
          if (await runPlan(name)) again.add(name);
        } while (again.has(name) && started);
      } catch (error) {
        ctx.onError(error, `pool ${name}`);
      } finally {
        running.delete(name);
      }
    })();
    running.set(name, run);
  }

  /** Ready devices go stale after ready_ttl: plan again when the first one does, and soon while a pool is short. */
  function armStaleTimer(): void {
    if (!started) return;
    let next = Number.POSITIVE_INFINITY;
    for (const name of configs.keys()) {
      const pool = effective(name);
      if (pool === undefined) continue;
      const queues = ctx.pools.queues(name);
      if (queues.members.size < pool.size + extraDemand(name)) next = Math.min(next, ctx.nowMs() + SHORT_POOL_RETRY_MS);
      // The longest ready goes stale first.
      for (const oldest of queues.readyOldestFirst()) {
        next = Math.min(next, oldest.sinceMs + pool.readyTtlMin * MINUTE_MS);
        break;
      }
    }
    const delayMs = Number.isFinite(next) ? Math.max(0, Math.min(next - ctx.nowMs(), 10 * MINUTE_MS)) : 10 * MINUTE_MS;
    staleTimer = setTimeout(() => {
      for (const name of configs.keys()) reconcile(name);
      armStaleTimer();
    }, delayMs);
    staleTimer.unref();
  }

  return {
    reconcile,
    effective,
    start() {
      started = true;
      for (const name of configs.keys()) reconcile(name);
      armStaleTimer();
    },
    stop() {
      started = false;
      if (staleTimer !== undefined) clearTimeout(staleTimer);
    },
    setExtraDemand(demand) {
      extraDemand = demand;
    },
    async idle() {
      while (running.size > 0) await Promise.all(running.values());
    },
  };
}
