import type { DeviceEventType, DeviceEvent } from '../../domain/device/device-events.js';
import { evolveDevice, initialDeviceState } from '../../domain/device/device-state.js';
import type { RequestEvent, RequestEventType } from '../../domain/request/request-events.js';
import { evolveRequest, initialRequestState } from '../../domain/request/request-state.js';
import type { RecordedEvent } from '../../store/port.js';

/** A state replay can show: the domain's own state, whose `state` is the MozPool/LifeGuard state string. */
export type AuditedState = { readonly state: string };

/** How to replay one category of stream through its domain fold. */
export interface AuditKind {
  /** Stream category and path segment: `device` (`/api/device/...`, `device-<name>`). */
  readonly category: 'device' | 'request';
  /** The canonical id for a raw one (path parameter, CLI argument), or undefined when it is malformed. */
  parseId(raw: string): string | undefined;
  streamOf(id: string): string;
  /** What a malformed id is told (400 on HTTP). */
  describeBadId(raw: string): string;
  /** The state after `events`, in stream order, through the domain's evolve. */
  fold(events: readonly RecordedEvent[]): AuditedState;
}

type DomainFold<E extends { readonly type: string }, S extends AuditedState> = {
  readonly initialState: S;
  readonly evolve: (state: S, event: E) => S;
  /** Every type of the union, checked by the compiler, so types this version does not know are recognised. */
  readonly knownTypes: Readonly<Record<E['type'], true>>;
};

/**
 * Folds recorded events through a domain evolve. The log may hold event types written by a newer
 * server; evolve's exhaustive switch would hand those back as the state, so they are skipped here.
 */
function createFold<E extends { readonly type: string }, S extends AuditedState>(domain: DomainFold<E, S>): AuditKind['fold'] {
  const isKnown = (type: string): type is E['type'] => Object.hasOwn(domain.knownTypes, type);
  return (events) =>
    events.reduce<S>((state, recorded) => {
      if (!isKnown(recorded.type)) return state;
      return domain.evolve(state, { type: recorded.type, data: recorded.data } as unknown as E);
    }, domain.initialState);
}

const deviceEventTypes: Readonly<Record<DeviceEventType, true>> = {
  DeviceRegistered: true, DeviceInventoryUpdated: true, DeviceRetired: true, DeviceStateEntered: true,
  DeviceHolderAttached: true, DeviceHolderDetached: true, DeviceHolderTransferred: true, DeviceImagingRequested: true, DeviceImageInstalled: true,
  DeviceBootConfigSet: true, BootStarted: true, BootEnded: true, PowerCycleSucceeded: true, PowerCycleFailed: true,
  PowerOffRequested: true, PowerCycleRequested: true, PxeClearRequested: true, VerifyFailed: true,
  DeviceEventReported: true, DeviceCommentsSet: true, DeviceEnvironmentSet: true, DeviceLogged: true,
};

const requestEventTypes: Readonly<Record<RequestEventType, true>> = {
  RequestOpened: true, RequestStateEntered: true, RequestDeviceAssigned: true, RequestDeviceReleased: true,
  RequestImagingResultReceived: true, LeaseRenewed: true, RequestClosed: true, RequestEventReported: true,
  RequestLogged: true,
};

/** Devices are named by their stream's id part (`device-panda-0001`). */
export const deviceAudit: AuditKind = {
  category: 'device',
  parseId: (raw) => (raw === '' ? undefined : raw),
  streamOf: (id) => `device-${id}`,
  describeBadId: () => 'device name must not be empty',
  fold: createFold<DeviceEvent, typeof initialDeviceState>({ initialState: initialDeviceState, evolve: evolveDevice, knownTypes: deviceEventTypes }),
};

/** Request ids are integers; `+7` and `007` name `request-7`, as MozPool's `int()` read them. */
export const requestAudit: AuditKind = {
  category: 'request',
  parseId: (raw) => (/^[+-]?[0-9]{1,15}$/.test(raw) ? String(Number(raw)) : undefined),
  streamOf: (id) => `request-${id}`,
  describeBadId: (raw) => `request id must be an integer, not '${raw}'`,
  fold: createFold<RequestEvent, typeof initialRequestState>({ initialState: initialRequestState, evolve: evolveRequest, knownTypes: requestEventTypes }),
};

/** The audited kinds by category, for the CLI's `history <category> <id>`. */
export const auditKinds: ReadonlyMap<string, AuditKind> = new Map([deviceAudit, requestAudit].map((kind) => [kind.category, kind]));
