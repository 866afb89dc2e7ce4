import { DEVICE_EVENT_TYPES } from '../../domain/device/device-event-types.js';
import { summarizeHardwareFacts, type HardwareSummary } from '../../domain/device/hardware-facts.js';
import { sameHolder, type Holder } from '../../domain/holders/holder.js';
import { toDomainEvent } from '../../domain/to-domain-event.js';
import type { RecordedEvent } from '../../store/port.js';
import type { Projection } from '../projection-runner.js';
import { MAX_FACTS_REPORTS_KEPT, type DeviceFactsReadModel, type FactsReport } from '../read-models.js';
import { streamId } from './event-time.js';

/** The hardware reports of every registered device, folded from `device-*` streams. */
export type DeviceFacts = Projection & DeviceFactsReadModel;

/** What the projection keeps per registered device: who holds it now, and its newest reports. */
type DeviceEntry = { holder: Holder | null; reports: FactsReport[] };

const NO_REPORTS: readonly FactsReport[] = Object.freeze([]);

/**
 * Keeps the newest {@link MAX_FACTS_REPORTS_KEPT} reports per device, each with the holder the device had
 * when it reported: the holder events of the same stream come before it in the log, so the projection
 * tracks them itself rather than asking another read model that may not have applied them yet.
 */
export function createDeviceFacts(maxReports = MAX_FACTS_REPORTS_KEPT): DeviceFacts {
  const entries = new Map<string, DeviceEntry>();
  // A report never changes: its summary is worked out once, and forgotten with it.
  const summaries = new WeakMap<FactsReport, HardwareSummary>();

  function apply(recorded: RecordedEvent): void {
    const event = toDomainEvent(recorded, DEVICE_EVENT_TYPES);
    if (event === undefined) return;
    const name = streamId(recorded.stream, 'device');
    // A retired device registered again is told by an inventory update.
    if (event.type === 'DeviceRegistered' || event.type === 'DeviceInventoryUpdated') {
      if (!entries.has(name)) entries.set(name, { holder: null, reports: [] });
      return;
    }
    const entry = entries.get(name);
    if (entry === undefined) return;
    switch (event.type) {
      case 'DeviceRetired':
        entries.delete(name);
        return;
      case 'DeviceHolderAttached':
        entry.holder = event.data.holder;
        return;
      case 'DeviceHolderDetached':
        // A detach of some other holder would be a bug upstream: the device's holder stays.
        if (sameHolder(entry.holder, event.data.holder)) entry.holder = null;
        return;
      case 'DeviceHolderTransferred':
        entry.holder = event.data.to;
        return;
      case 'DeviceFactsReported': {
        const { generator, format, facts, atMs } = event.data;
        entry.reports.push(Object.freeze({ generator, format, facts, atMs, holder: entry.holder, revision: recorded.revision }));
        if (entry.reports.length > maxReports) entry.reports.splice(0, entry.reports.length - maxReports);
        return;
      }
      default:
        return;
    }
  }

  return {
    name: 'lab-device-facts',
    filter: {
      streamPrefixes: ['device-'],
      eventTypes: ['DeviceRegistered', 'DeviceInventoryUpdated', 'DeviceRetired', 'DeviceHolderAttached', 'DeviceHolderDetached', 'DeviceHolderTransferred', 'DeviceFactsReported'],
    },
    apply,
    of: (name) => {
      const reports = entries.get(name)?.reports;
      return reports === undefined || reports.length === 0 ? NO_REPORTS : [...reports];
    },
    latest: (name) => entries.get(name)?.reports.at(-1),
    summary: (name) => {
      const latest = entries.get(name)?.reports.at(-1);
      if (latest === undefined) return undefined;
      let summary = summaries.get(latest);
      if (summary === undefined) summaries.set(latest, (summary = summarizeHardwareFacts(latest.facts)));
      return summary;
    },
  };
}
