import { REQUEST_EVENT_TYPES } from '../domain/request-event-types.js';
import type { RequestEvent } from '../domain/request-events.js';
import { toDomainEvent } from '../../../domain/to-domain-event.js';
import type { RecordedEvent } from '../../../store/port.js';
import type { Projection } from '../../../projections/projection-runner.js';
import type { DeviceReadModel } from '../../../projections/read-models.js';
import type { RequestReadModel, RequestView } from './mozpool-read-models.js';
import { ignoreUnknownEvent, isoUtc, streamId } from '../../../projections/lab/event-time.js';

/** A request as stored: `device_state` is joined from the device read model at read time. */
type RequestRecord = Omit<RequestView, 'device_state'>;

/** The request read model without logs (see request-logs.ts), folded from `request-*` streams. */
export type RequestViews = Projection & Omit<RequestReadModel, 'log'>;

/** `devices` answers the assigned device's current state, so `device_state` is never stale. */
export function createRequestViews(devices: Pick<DeviceReadModel, 'get'>): RequestViews {
  const records = new Map<number, RequestRecord>();
  let sortedIds: readonly number[] | undefined;
  let maxId = 0;

  function withDeviceState(record: RequestRecord): RequestView {
    const device = record.assigned_device === '' ? undefined : devices.get(record.assigned_device);
    return { ...record, device_state: device?.state ?? '' };
  }

  function apply(recorded: RecordedEvent): void {
    const event = toDomainEvent(recorded, REQUEST_EVENT_TYPES);
    if (event === undefined) return;
    if (event.type === 'RequestOpened') {
      if (!records.has(event.data.id)) sortedIds = undefined;
      records.set(event.data.id, openedRecord(event.data));
      maxId = Math.max(maxId, event.data.id);
      return;
    }
    const id = Number(streamId(recorded.stream, 'request'));
    const record = records.get(id);
    if (record !== undefined) records.set(id, updateRequestRecord(record, event));
  }

  return {
    name: 'mozpool-requests',
    filter: { streamPrefixes: ['request-'] },
    apply,
    list(includeClosed) {
      sortedIds ??= [...records.keys()].sort((a, b) => a - b);
      const inOrder = sortedIds.map((id) => records.get(id)!);
      return (includeClosed ? inOrder : inOrder.filter((record) => !record.closed)).map(withDeviceState);
    },
    get(id) {
      const record = records.get(id);
      return record === undefined ? undefined : withDeviceState(record);
    },
    maxId: () => maxId,
  };
}

function openedRecord(data: Extract<RequestEvent, { readonly type: 'RequestOpened' }>['data']): RequestRecord {
  return {
    id: data.id,
    imaging_server: data.imagingServer,
    assignee: data.assignee,
    boot_config: data.bootConfig,
    state: 'new',
    expires: isoUtc(data.expiresAtMs),
    requested_device: data.requestedDevice,
    environment: data.environment,
    image: data.image,
    assigned_device: '',
    closed: false,
  };
}

/** The record after `event`; the same object when the event changes nothing listed. */
function updateRequestRecord(record: RequestRecord, event: RequestEvent): RequestRecord {
  switch (event.type) {
    case 'RequestOpened':
      return openedRecord(event.data);
    case 'RequestStateEntered':
      // `closed` is final, whichever of the two events says it first.
      return { ...record, state: event.data.to, closed: record.closed || event.data.to === 'closed' };
    case 'RequestDeviceAssigned':
      return { ...record, assigned_device: event.data.device };
    case 'RequestDeviceReleased':
      return record.assigned_device === event.data.device ? { ...record, assigned_device: '' } : record;
    case 'LeaseRenewed':
      return { ...record, expires: isoUtc(event.data.expiresAtMs) };
    case 'RequestClosed':
      return { ...record, state: 'closed', closed: true };
    case 'RequestHandedOver':
      return { ...record, imaging_server: event.data.to };
    case 'RequestImagingResultReceived':
    case 'RequestEventReported':
    case 'RequestLogged':
      return record;
    default:
      ignoreUnknownEvent(event);
      return record;
  }
}
