import { DEVICE_EVENT_TYPES } from '../../../domain/device/device-event-types.js';
import type { DeviceEvent } from '../../../domain/device/device-events.js';
import type { Holder } from '../../../domain/holders/holder.js';
import { toDomainEvent } from '../../../domain/to-domain-event.js';
import type { Projection } from '../../../projections/projection-runner.js';
import { streamId } from '../../../projections/lab/event-time.js';
import type { RecordedEvent } from '../../../store/port.js';
import { POOL_EVENT_TYPES, evolvePool, initialPoolState, type PoolState } from '../domain/pool-decider.js';
import type { MemberPhase, PoolMember } from '../domain/pool-plan.js';
import { VM_EVENT_TYPES, evolveVm, initialVmState, type VmState } from '../domain/vm-decider.js';
import { isUsedReturn } from '../domain/vm-holder.js';
import { IndexedSet } from './indexed-set.js';

/** One pool's devices, by where they are. Every list is live: read it at once. */
export type PoolQueues = {
  /** Not checked out: waiting, imaging, ready, completed or failed. */
  readonly members: ReadonlyMap<string, PoolMember>;
  /** Ready devices, in no order: a checkout picks from it in O(1). */
  readonly ready: readonly string[];
  /** Ready members, longest ready first. */
  readyOldestFirst(): Iterable<PoolMember>;
  /** How many ready members have `image`. */
  readyWithImage(image: string): number;
  readonly waiting: readonly string[];
  readonly imaging: readonly string[];
  readonly completed: readonly string[];
  readonly failed: readonly string[];
  /** Checked-out devices → their VM id. */
  readonly running: ReadonlyMap<string, string>;
};

export interface PoolReadModel {
  /** The pool's queues; an unknown pool has empty ones. */
  queues(pool: string): PoolQueues;
  /** Run-time overrides of the pool (size, template, reset). */
  overrides(pool: string): PoolState;
  /** An open checkout by its id (a deleted or expired one is gone). */
  vm(id: string): VmState | undefined;
  /** The VM holding `device` now, if one does. */
  vmOnDevice(device: string): VmState | undefined;
  /** Ids of open VMs checked out with the token of this hash. */
  vmsOfToken(tokenHash: string): readonly string[];
  /** Every open VM. */
  runningVms(): Iterable<VmState>;
  /** The pool holding `device` (a member or checked out from it), if any. */
  poolOf(device: string): string | undefined;
}

export type PoolViews = Projection & PoolReadModel;

/** A pool's members by phase: each phase a set with O(1) change, ready ones also in the order they became ready. */
class Queues implements PoolQueues {
  readonly members = new Map<string, PoolMember>();
  readonly running = new Map<string, string>();
  private readonly phases: Readonly<Record<MemberPhase, IndexedSet>> = {
    waiting: new IndexedSet(),
    imaging: new IndexedSet(),
    ready: new IndexedSet(),
    completed: new IndexedSet(),
    failed: new IndexedSet(),
  };
  /** Insertion order is the order they became ready (a Map keeps it, and deletes in O(1)). */
  private readonly readyOrder = new Map<string, PoolMember>();
  private readonly readyImages = new Map<string, number>();

  get ready(): readonly string[] {
    return this.phases.ready.items;
  }
  get waiting(): readonly string[] {
    return this.phases.waiting.items;
  }
  get imaging(): readonly string[] {
    return this.phases.imaging.items;
  }
  get completed(): readonly string[] {
    return this.phases.completed.items;
  }
  get failed(): readonly string[] {
    return this.phases.failed.items;
  }
  readyOldestFirst(): Iterable<PoolMember> {
    return this.readyOrder.values();
  }
  readyWithImage(image: string): number {
    return this.readyImages.get(image) ?? 0;
  }
  private countImage(image: string, delta: 1 | -1): void {
    const count = (this.readyImages.get(image) ?? 0) + delta;
    if (count > 0) this.readyImages.set(image, count);
    else this.readyImages.delete(image);
  }
  put(device: string, phase: MemberPhase, sinceMs: number, image: string): void {
    this.remove(device);
    const member = { device, phase, sinceMs, image };
    this.members.set(device, member);
    this.phases[phase].add(device);
    if (phase === 'ready') {
      this.readyOrder.set(device, member);
      this.countImage(image, 1);
    }
  }
  remove(device: string): void {
    const previous = this.members.get(device);
    if (previous === undefined) return;
    this.members.delete(device);
    this.phases[previous.phase].delete(device);
    if (this.readyOrder.delete(device)) this.countImage(previous.image, -1);
  }
}

const EMPTY: PoolQueues = new Queues();

/**
 * vmpooler's queues folded from the log: which devices each pool holds and where they are (from the
 * holder changes, imaging and states of `device-*` streams), the checkouts (`vm-*`) and the pools'
 * overrides (`pool-*`). `onChange(pool)` hears of every pool whose queues moved, so its manager plans again.
 * Given `serverId`, the queues hold only that server's devices: a server plans and hands out its own
 * (it alone runs their actors), so a pool's size is per server; checkouts are known lab-wide.
 */
export function createPoolViews(onChange: (pool: string) => void = () => undefined, serverId?: string): PoolViews {
  const pools = new Map<string, Queues>();
  const overrides = new Map<string, PoolState>();
  const vms = new Map<string, VmState>();
  const vmByDevice = new Map<string, string>();
  const tokenVms = new Map<string, IndexedSet>();
  const poolByDevice = new Map<string, string>();
  /** The image each device was last asked to take: a ready member's image. */
  const lastImage = new Map<string, string>();
  /** Devices whose last state is a failed one: one coming back to a pool so cannot be imaged. */
  const failedDevices = new Set<string>();
  /** Devices of other servers, when the queues are one server's. */
  const elsewhere = new Set<string>();

  const queuesOf = (pool: string): Queues => {
    let queues = pools.get(pool);
    if (queues === undefined) pools.set(pool, (queues = new Queues()));
    return queues;
  };

  function join(pool: string, device: string, wanted: MemberPhase, atMs: number): void {
    const phase = failedDevices.has(device) ? 'failed' : wanted;
    poolByDevice.set(device, pool);
    queuesOf(pool).put(device, phase, atMs, phase === 'ready' ? (lastImage.get(device) ?? '') : '');
    onChange(pool);
  }

  function leave(holder: Holder, device: string): void {
    if (holder.kind === 'vmpooler_pool') {
      pools.get(holder.id)?.remove(device);
      if (poolByDevice.get(device) === holder.id) poolByDevice.delete(device);
      onChange(holder.id);
    } else if (holder.kind === 'vmpooler_vm') {
      const pool = poolByDevice.get(device);
      if (pool !== undefined) {
        pools.get(pool)?.running.delete(device);
        poolByDevice.delete(device);
        onChange(pool);
      }
      if (vmByDevice.get(device) === holder.id) vmByDevice.delete(device);
    }
  }

  function applyDevice(device: string, event: DeviceEvent): void {
    if (event.type === 'DeviceRegistered' || event.type === 'DeviceInventoryUpdated') {
      if (serverId !== undefined && event.data.imagingServer !== serverId) elsewhere.add(device);
      else elsewhere.delete(device);
      return;
    }
    if (event.type === 'DeviceHandedOver') return handOver(device, event.data.to);
    if (elsewhere.has(device)) return applyElsewhere(device, event);
    switch (event.type) {
      case 'DeviceHolderAttached':
        if (event.data.holder.kind === 'vmpooler_pool') join(event.data.holder.id, device, 'waiting', event.data.atMs);
        return;
      case 'DeviceHolderDetached':
        leave(event.data.holder, device);
        return;
      case 'DeviceHolderTransferred': {
        const { from, to, reason, atMs } = event.data;
        if (from.kind === 'vmpooler_pool' && to.kind === 'vmpooler_vm') {
          const queues = queuesOf(from.id);
          queues.remove(device);
          queues.running.set(device, to.id);
          vmByDevice.set(device, to.id);
          onChange(from.id);
          return;
        }
        leave(from, device);
        if (to.kind === 'vmpooler_pool') join(to.id, device, isUsedReturn(reason) ? 'completed' : 'ready', atMs);
        return;
      }
      case 'DeviceImagingRequested': {
        lastImage.set(device, event.data.image);
        const pool = poolByDevice.get(device);
        const queues = pool === undefined ? undefined : pools.get(pool);
        if (pool !== undefined && queues?.members.has(device) === true) {
          queues.put(device, 'imaging', event.data.atMs, event.data.image);
          onChange(pool);
        }
        return;
      }
      case 'DeviceStateEntered': {
        const { to, atMs } = event.data;
        if (to.startsWith('failed_')) failedDevices.add(device);
        else failedDevices.delete(device);
        const pool = poolByDevice.get(device);
        const member = pool === undefined ? undefined : pools.get(pool)?.members.get(device);
        if (pool === undefined || member === undefined) return;
        if (to.startsWith('failed_')) queuesOf(pool).put(device, 'failed', atMs, member.image);
        else if (to === 'ready' && member.phase === 'imaging') queuesOf(pool).put(device, 'ready', atMs, member.image);
        // A ready device that left `ready` (an operator's power cycle or forced state) is imaged again
        // before anyone checks it out.
        else if (to !== 'ready' && member.phase === 'ready') queuesOf(pool).put(device, 'completed', atMs, member.image);
        // Anything else may unblock the manager (a device back in `ready` can be imaged now).
        onChange(pool);
        return;
      }
      case 'DeviceRetired': {
        const pool = poolByDevice.get(device);
        if (pool !== undefined) {
          pools.get(pool)?.remove(device);
          pools.get(pool)?.running.delete(device);
          poolByDevice.delete(device);
          onChange(pool);
        }
        return;
      }
      default:
        return;
    }
  }

  /**
   * Handed over between servers: the new owner's queues take it from its next holder change (its
   * recovery gives a pool's device back, to be planned there again); the old owner's forget it.
   */
  function handOver(device: string, to: string): void {
    if (serverId === undefined) return;
    if (to === serverId) return void elsewhere.delete(device);
    elsewhere.add(device);
    const pool = poolByDevice.get(device);
    if (pool === undefined) return;
    pools.get(pool)?.remove(device);
    pools.get(pool)?.running.delete(device);
    poolByDevice.delete(device);
    onChange(pool);
  }

  /** Another server's device: only which VM holds it matters here (`GET /vm/<host>` answers for it). */
  function applyElsewhere(device: string, event: DeviceEvent): void {
    if (event.type !== 'DeviceHolderTransferred' && event.type !== 'DeviceHolderDetached') return;
    const holder = event.type === 'DeviceHolderTransferred' ? event.data.to : null;
    if (holder?.kind === 'vmpooler_vm') vmByDevice.set(device, holder.id);
    else vmByDevice.delete(device);
  }

  function applyVm(id: string, recorded: RecordedEvent): void {
    const event = toDomainEvent(recorded, VM_EVENT_TYPES);
    if (event === undefined) return;
    const after = evolveVm(vms.get(id) ?? initialVmState, event);
    // Only open checkouts are kept: a deleted one is over, and the log keeps its history.
    if (after.deletedAtMs === null) vms.set(id, after);
    else vms.delete(id);
    if (after.tokenHash === null) return;
    let ids = tokenVms.get(after.tokenHash);
    if (ids === undefined) tokenVms.set(after.tokenHash, (ids = new IndexedSet()));
    if (after.deletedAtMs === null) ids.add(id);
    else ids.delete(id);
    if (ids.size === 0) tokenVms.delete(after.tokenHash);
  }

  function apply(recorded: RecordedEvent): void {
    if (recorded.stream.startsWith('device-')) {
      const event = toDomainEvent(recorded, DEVICE_EVENT_TYPES);
      if (event !== undefined) applyDevice(streamId(recorded.stream, 'device'), event);
    } else if (recorded.stream.startsWith('vm-')) {
      applyVm(streamId(recorded.stream, 'vm'), recorded);
    } else if (recorded.stream.startsWith('pool-')) {
      const event = toDomainEvent(recorded, POOL_EVENT_TYPES);
      if (event === undefined) return;
      const pool = streamId(recorded.stream, 'pool');
      overrides.set(pool, evolvePool(overrides.get(pool) ?? initialPoolState, event));
      onChange(pool);
    }
  }

  return {
    name: 'vmpooler-pools',
    filter: { streamPrefixes: ['device-', 'vm-', 'pool-'] },
    apply,
    queues: (pool) => pools.get(pool) ?? EMPTY,
    overrides: (pool) => overrides.get(pool) ?? initialPoolState,
    vm: (id) => vms.get(id),
    vmOnDevice(device) {
      const id = vmByDevice.get(device);
      return id === undefined ? undefined : vms.get(id);
    },
    vmsOfToken: (tokenHash) => tokenVms.get(tokenHash)?.items ?? [],
    runningVms: () => vms.values(),
    poolOf: (device) => poolByDevice.get(device),
  };
}
