import { Counter, Histogram, type Registry } from 'prom-client';
import type { DeviceEvent } from '../domain/device/device-events.js';
import { eventTypes, toDomainEvent } from '../domain/to-domain-event.js';
import type { Projection } from '../projections/projection-runner.js';
import { ignoreUnknownEvent, streamId } from '../projections/lab/event-time.js';
import type { DeviceReadModel } from '../projections/read-models.js';
import type { RecordedEvent } from '../store/port.js';
import { pduLabelOf } from './pdu-label.js';

/** Boots take seconds (a plain power cycle) to tens of minutes (a large image over a slow link). */
export const BOOT_BUCKETS_S = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600];

type BootData<Type extends 'BootStarted' | 'BootEnded'> = Extract<DeviceEvent, { readonly type: Type }>['data'];
type OpenBoot = Pick<BootData<'BootStarted'>, 'kind' | 'image' | 'atMs'>;

/** What the projection folds; anything else in the log passes by. */
type WatchedEvent = Extract<DeviceEvent, { readonly type: 'BootStarted' | 'BootEnded' | 'PowerCycleFailed' }>;

const WATCHED_TYPES = eventTypes<WatchedEvent>({ BootStarted: true, BootEnded: true, PowerCycleFailed: true });

function createInstruments(registry: Registry) {
  return {
    boots: new Histogram({
      name: 'labpool_boot_duration_seconds',
      help: 'Duration of finished boots (imaging, power cycle, self-test, maintenance), from BootStarted to BootEnded',
      labelNames: ['kind', 'outcome'] as const,
      buckets: BOOT_BUCKETS_S,
      registers: [registry],
    }),
    imaging: new Histogram({
      name: 'labpool_imaging_duration_seconds',
      help: 'Duration of finished imaging boots (kind=image) by image and outcome',
      labelNames: ['image', 'outcome'] as const,
      buckets: BOOT_BUCKETS_S,
      registers: [registry],
    }),
    powerFailures: new Counter({
      name: 'labpool_power_cycle_failures_total',
      help: 'PowerCycleFailed events by PDU (host:port from the device relay_info)',
      labelNames: ['pdu'] as const,
      registers: [registry],
    }),
  };
}

type Instruments = ReturnType<typeof createInstruments>;

function observeFinishedBoot(instruments: Instruments, opened: OpenBoot | undefined, data: BootData<'BootEnded'>): void {
  // A boot whose start the log does not hold (it cannot happen in one stream) is not measured.
  if (opened === undefined) return;
  const durationS = Math.max(0, data.atMs - opened.atMs) / 1000;
  const { kind } = opened;
  instruments.boots.observe({ kind, outcome: data.outcome }, durationS);
  if (kind === 'image') instruments.imaging.observe({ image: opened.image ?? 'unknown', outcome: data.outcome }, durationS);
}

/**
 * A projection feeding the boot/imaging histograms and the power failure counter from the global
 * log. It replays the whole log at start, so after a restart the series describe the lab's history
 * again instead of starting from zero. `devices` must be folded before it (earlier in the runner's
 * list) so a failing device's relay_info is known.
 */
export function createEventMetricsProjection(registry: Registry, devices: DeviceReadModel): Projection {
  const instruments = createInstruments(registry);
  // Kind, image and start arrive in BootStarted but are needed at BootEnded; a boot ends once.
  const openBoots = new Map<string, OpenBoot>();

  function apply(recorded: RecordedEvent): void {
    const event = toDomainEvent(recorded, WATCHED_TYPES);
    if (event === undefined) return;
    switch (event.type) {
      case 'BootStarted':
        openBoots.set(event.data.bootId, { kind: event.data.kind, image: event.data.image, atMs: event.data.atMs });
        return;
      case 'BootEnded':
        observeFinishedBoot(instruments, openBoots.get(event.data.bootId), event.data);
        openBoots.delete(event.data.bootId);
        return;
      case 'PowerCycleFailed':
        instruments.powerFailures.inc({ pdu: pduLabelOf(devices.get(streamId(recorded.stream, 'device'))?.relayInfo) });
        return;
      default:
        return ignoreUnknownEvent(event);
    }
  }

  return { name: 'metrics', filter: { eventTypes: WATCHED_TYPES.types }, apply };
}
