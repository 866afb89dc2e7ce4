import type { Router } from '@koa/router';
import { httpError } from '../../../http/errors.js';
import { pathParam } from '../../../http/route-params.js';
import { isoUtc } from '../../../projections/lab/event-time.js';
import type { VmpoolerLab } from '../actors/vmpooler-lab.js';
import type { PoolConfig } from '../domain/pool-config.js';
import type { MemberPhase } from '../domain/pool-plan.js';
import { vmExpiresAtMs } from '../domain/vm-decider.js';

/** vmpooler's queue a member phase counts in: waiting and imaging are `pending`, a failed one waits as `completed`. */
const QUEUE_OF: Readonly<Record<MemberPhase, 'pending' | 'ready' | 'completed'>> = { waiting: 'pending', imaging: 'pending', ready: 'ready', completed: 'completed', failed: 'completed' };

/** One pool as the dashboard shows it: its queues against its size, and who holds each checked-out device. */
function describePool(lab: VmpoolerLab, pool: PoolConfig) {
  const queues = lab.context.pools.queues(pool.name);
  const counts = { ready: 0, pending: 0, running: queues.running.size, completed: 0 };
  const devices: { device: string; queue: string; phase: MemberPhase; since: string }[] = [];
  for (const member of queues.members.values()) {
    counts[QUEUE_OF[member.phase]] += 1;
    devices.push({ device: member.device, queue: QUEUE_OF[member.phase], phase: member.phase, since: isoUtc(member.sinceMs) });
  }
  const checkedOut = [...queues.running].map(([device, id]) => {
    const vm = lab.context.pools.vm(id);
    return {
      device,
      vm: id,
      user: vm?.user ?? null,
      since: vm === undefined ? null : isoUtc(vm.checkedOutAtMs),
      expires: vm === undefined ? null : isoUtc(vmExpiresAtMs(vm)),
      tags: vm?.tags ?? {},
    };
  });
  devices.sort((a, b) => a.device.localeCompare(b.device));
  checkedOut.sort((a, b) => a.device.localeCompare(b.device));
  return { name: pool.name, alias: pool.alias, image: pool.image, size: pool.size, ...counts, devices, checked_out: checkedOut };
}

/**
 * labpool's own view of vmpooler's pools (problem+json errors, like every `/labpool/` route), for the
 * dashboard and operators: `GET /labpool/pools/` lists every pool, `GET /labpool/pools/{name}` one.
 * Read only, from the pools' read model; sizes and images are the effective ones (overrides applied).
 */
export function registerLabpoolPoolsRoutes(router: Router, lab: VmpoolerLab): void {
  const effectivePools = () => lab.context.config.pools.map((pool) => lab.manager.effective(pool.name)).filter((pool) => pool !== undefined);
  router.get('/labpool/pools{/}', (ctx) => {
    ctx.body = { pools: effectivePools().map((pool) => describePool(lab, pool)) };
  });
  router.get('/labpool/pools/:name', (ctx) => {
    const name = pathParam(ctx, 'name');
    const pool = lab.manager.effective(name);
    if (pool === undefined) throw httpError(404, `no pool named ${name}`);
    ctx.body = describePool(lab, pool);
  });
}
