import { DEVICE_EVENT_TYPES } from '../../../domain/device/device-event-types.js';
import type { DeviceEvent } from '../../../domain/device/device-events.js';
import { toDomainEvent } from '../../../domain/to-domain-event.js';
import type { Projection } from '../../../projections/projection-runner.js';
import { streamId } from '../../../projections/lab/event-time.js';
import type { RecordedEvent } from '../../../store/port.js';
import { VM_EVENT_TYPES } from '../domain/vm-decider.js';

/*
 * vmpooler's clone and boot on bare metal. vmpooler clones a VM from its template (the disk is
 * written), then boots it until it answers; its metrics time the two apart. A pool device's imaging
 * splits the same way:
 * - clone: from the pool asking for the image (`DeviceImagingRequested`) until the image is written
 *   and the device reboots into it (it enters `verifying`): power cycle, PXE boot, download, extract;
 * - boot: from `verifying` until the device is `ready` (it came up on its new image).
 * An imaging that reaches `ready` without `verifying` counts as a clone only. Only devices a pool
 * holds count: a MozPool lease imaging a device is not vmpooler's.
 */

/** Durations of one kind on one day: count, sum, min and max (seconds), never the single values. */
export type DurationStats = { readonly count: number; readonly total: number; readonly min: number; readonly max: number };

/** One UTC day of vmpooler activity. */
export type DaySummary = {
  readonly clone: DurationStats;
  readonly boot: DurationStats;
  /** Tag name → value → how many VMs got it that day (a checkout's user counts as tag `user`). */
  readonly tags: ReadonlyMap<string, ReadonlyMap<string, number>>;
};

/** Where a pool device's imaging is: writing the image (clone) or coming up on it (boot). */
export type BuildStage = 'clone' | 'boot';

export interface SummaryReadModel {
  /** The day `YYYY-MM-DD` (UTC); an empty one when nothing happened. */
  day(date: string): DaySummary;
  /** Where the imaging of a pool device is, if one is under way. */
  stage(device: string): BuildStage | undefined;
  /** When a device of the pool last became ready (epoch ms). */
  lastReadyMs(pool: string): number | undefined;
}

export type SummaryViews = Projection & SummaryReadModel;

const NO_DURATIONS: DurationStats = { count: 0, total: 0, min: 0, max: 0 };
const EMPTY_DAY: DaySummary = { clone: NO_DURATIONS, boot: NO_DURATIONS, tags: new Map() };

/** The UTC date of an instant, `YYYY-MM-DD`. */
export function utcDate(atMs: number): string {
  return new Date(atMs).toISOString().slice(0, 10);
}

export function addDuration(stats: DurationStats, seconds: number): DurationStats {
  if (stats.count === 0) return { count: 1, total: seconds, min: seconds, max: seconds };
  return { count: stats.count + 1, total: stats.total + seconds, min: Math.min(stats.min, seconds), max: Math.max(stats.max, seconds) };
}

type Build = { readonly pool: string; readonly stage: BuildStage; readonly sinceMs: number };

/**
 * vmpooler's `/summary` and the clone/boot parts of `/status`, folded from the log. Memory stays
 * bounded: per day four numbers per kind and a count per tag value, plus one entry per pool device
 * being imaged; single durations are folded in and forgotten.
 */
export function createSummaryViews(): SummaryViews {
  const days = new Map<string, { clone: DurationStats; boot: DurationStats; tags: Map<string, Map<string, number>> }>();
  /** Devices a pool holds (not checked out), by device. */
  const poolOf = new Map<string, string>();
  const builds = new Map<string, Build>();
  const lastReady = new Map<string, number>();

  const dayOf = (atMs: number) => {
    const date = utcDate(atMs);
    let day = days.get(date);
    if (day === undefined) days.set(date, (day = { clone: NO_DURATIONS, boot: NO_DURATIONS, tags: new Map() }));
    return day;
  };

  function countTag(atMs: number, name: string, value: string): void {
    const tags = dayOf(atMs).tags;
    let values = tags.get(name);
    if (values === undefined) tags.set(name, (values = new Map<string, number>()));
    values.set(value, (values.get(value) ?? 0) + 1);
  }

  function finish(device: string, build: Build, atMs: number): void {
    const day = dayOf(atMs);
    const seconds = Math.max(0, atMs - build.sinceMs) / 1000;
    if (build.stage === 'clone') day.clone = addDuration(day.clone, seconds);
    else day.boot = addDuration(day.boot, seconds);
    builds.delete(device);
  }

  function applyDevice(device: string, event: DeviceEvent): void {
    switch (event.type) {
      case 'DeviceHolderAttached':
        if (event.data.holder.kind === 'vmpooler_pool') poolOf.set(device, event.data.holder.id);
        return;
      case 'DeviceHolderDetached':
        poolOf.delete(device);
        builds.delete(device);
        return;
      case 'DeviceHolderTransferred':
        if (event.data.to.kind === 'vmpooler_pool') poolOf.set(device, event.data.to.id);
        else poolOf.delete(device);
        builds.delete(device);
        return;
      case 'DeviceImagingRequested': {
        const pool = poolOf.get(device);
        if (pool !== undefined) builds.set(device, { pool, stage: 'clone', sinceMs: event.data.atMs });
        return;
      }
      case 'DeviceStateEntered': {
        const build = builds.get(device);
        if (build === undefined) return;
        const { to, atMs } = event.data;
        if (to === 'verifying' && build.stage === 'clone') {
          finish(device, build, atMs);
          builds.set(device, { pool: build.pool, stage: 'boot', sinceMs: atMs });
        } else if (to === 'ready') {
          finish(device, build, atMs);
          lastReady.set(build.pool, atMs);
        } else if (to.startsWith('failed_')) {
          builds.delete(device);
        }
        return;
      }
      case 'DeviceRetired':
        poolOf.delete(device);
        builds.delete(device);
        return;
      default:
        return;
    }
  }

  function applyVm(recorded: RecordedEvent): void {
    const event = toDomainEvent(recorded, VM_EVENT_TYPES);
    if (event?.type === 'VmCheckedOut' && event.data.user !== null) countTag(event.data.atMs, 'user', event.data.user);
    else if (event?.type === 'VmTagged') for (const [name, value] of Object.entries(event.data.tags)) countTag(event.data.atMs, name, value);
  }

  return {
    name: 'vmpooler-summary',
    filter: { streamPrefixes: ['device-', 'vm-'] },
    apply(recorded) {
      if (recorded.stream.startsWith('vm-')) {
        applyVm(recorded);
        return;
      }
      const event = toDomainEvent(recorded, DEVICE_EVENT_TYPES);
      if (event !== undefined) applyDevice(streamId(recorded.stream, 'device'), event);
    },
    day: (date) => days.get(date) ?? EMPTY_DAY,
    stage: (device) => builds.get(device)?.stage,
    lastReadyMs: (pool) => lastReady.get(pool),
  };
}
