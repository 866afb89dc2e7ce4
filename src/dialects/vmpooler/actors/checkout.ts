import { randomInt } from 'node:crypto';
import type { EventMetadata, LogPosition } from '../../../store/port.js';
import { poolsNamed, type PoolConfig } from '../domain/pool-config.js';
import { RETURN_REASONS, poolHolder, vmHolder } from '../domain/vm-holder.js';
import type { VmpoolerContext } from './vmpooler-context.js';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A new VM id: 15 characters [a-z0-9], like vmpooler's host names. */
export function newVmId(): string {
  let id = '';
  for (let i = 0; i < 15; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

/** One name of a checkout (as the client wrote it: a pool or an alias) and how many hosts. */
export type CheckoutWant = { readonly name: string; readonly count: number };

/** Who checks out: the token's user and the token's hash, when a valid token came with it. */
export type CheckoutAuth = { readonly user: string; readonly tokenHash: string } | null;

export type CheckedOutVm = { readonly id: string; readonly pool: string; readonly device: string };

export type CheckoutResult =
  | { readonly ok: true; readonly vms: ReadonlyMap<string, readonly CheckedOutVm[]> }
  | { readonly ok: false; readonly reason: 'unknown_pool'; readonly names: readonly string[] }
  | { readonly ok: false; readonly reason: 'shortage' };

type Taken = CheckedOutVm & { readonly name: string };

/**
 * vmpooler's checkout for bare metal. Each host is a ready device of the pool (or of a pool aliased
 * to the same name) whose hold the device actor transfers from the pool to a new VM in one decision:
 * two checkouts never get one device, whichever server or pool they come through. All or nothing:
 * on a shortage the devices already taken go back to their pools as ready, and nothing stays checked
 * out. A pick costs the same at any ready count: it reads the end of the pool's ready list. A server
 * hands out its own devices only (it alone runs their actors): the queues hold only those.
 */
export function createCheckout(ctx: VmpoolerContext, effective: (name: string) => PoolConfig | undefined) {
  /** Devices some checkout of this server is taking right now: others skip them. */
  const claimed = new Set<string>();

  function poolsFor(name: string): readonly PoolConfig[] {
    return poolsNamed(ctx.config.pools, name)
      .map((pool) => effective(pool.name))
      .filter((pool) => pool !== undefined);
  }

  /** A ready device of one of `pools` that no other checkout is taking, claimed for this one. */
  function claim(pools: readonly PoolConfig[], skip: ReadonlySet<string>): { pool: string; device: string } | undefined {
    for (const pool of pools) {
      const ready = ctx.pools.queues(pool.name).ready;
      for (let i = ready.length - 1; i >= 0; i--) {
        const device = ready[i]!;
        if (claimed.has(device) || skip.has(device)) continue;
        claimed.add(device);
        return { pool: pool.name, device };
      }
    }
    return undefined;
  }

  async function takeOne(name: string, pools: readonly PoolConfig[], cause: EventMetadata): Promise<Taken | undefined> {
    const refused = new Set<string>();
    for (;;) {
      const pick = claim(pools, refused);
      if (pick === undefined) return undefined;
      const id = newVmId();
      const outcome = await ctx.kinds.devices.ask(pick.device, { type: 'TransferHolder', from: poolHolder(pick.pool), to: vmHolder(id), reason: 'checkout', nowMs: ctx.nowMs() }, cause);
      if (outcome.ok) return { name, id, pool: pick.pool, device: pick.device };
      // Another server checked it out, or the pool let it go since the read model saw it: try another.
      claimed.delete(pick.device);
      refused.add(pick.device);
    }
  }

  async function giveBack(taken: readonly Taken[], cause: EventMetadata): Promise<void> {
    await Promise.all(
      taken.map((vm) => ctx.kinds.devices.ask(vm.device, { type: 'TransferHolder', from: vmHolder(vm.id), to: poolHolder(vm.pool), reason: RETURN_REASONS.undone, nowMs: ctx.nowMs() }, cause)),
    );
  }

  return {
    async checkout(wants: readonly CheckoutWant[], auth: CheckoutAuth, cause: EventMetadata): Promise<CheckoutResult> {
      const unknown = wants.filter((want) => poolsFor(want.name).length === 0).map((want) => want.name);
      if (unknown.length > 0) return { ok: false, reason: 'unknown_pool', names: unknown };
      const taken: Taken[] = [];
      try {
        for (const want of wants) {
          const pools = poolsFor(want.name);
          const got = await Promise.all(Array.from({ length: want.count }, () => takeOne(want.name, pools, cause)));
          for (const vm of got) if (vm !== undefined) taken.push(vm);
          if (got.some((vm) => vm === undefined)) {
            await giveBack(taken, cause);
            return { ok: false, reason: 'shortage' };
          }
        }
        const lifetimeH = auth === null ? ctx.config.settings.vmLifetimeH : ctx.config.settings.vmLifetimeAuthH;
        let latest: LogPosition | undefined;
        await Promise.all(
          taken.map(async (vm) => {
            const command = { type: 'CheckOut', id: vm.id, pool: vm.pool, device: vm.device, user: auth?.user ?? null, tokenHash: auth?.tokenHash ?? null, lifetimeH, nowMs: ctx.nowMs() } as const;
            const outcome = await ctx.kinds.vms.ask(vm.id, command, cause);
            if (outcome.ok && outcome.position !== undefined && (latest === undefined || outcome.position > latest)) latest = outcome.position;
          }),
        );
        if (latest !== undefined) await ctx.waitFor(latest);
        const vms = new Map<string, CheckedOutVm[]>();
        for (const vm of taken) vms.set(vm.name, [...(vms.get(vm.name) ?? []), { id: vm.id, pool: vm.pool, device: vm.device }]);
        return { ok: true, vms };
      } finally {
        for (const vm of taken) claimed.delete(vm.device);
      }
    },
  };
}

export type Checkout = ReturnType<typeof createCheckout>;
