import type { DomainEvent } from '../../domain/decider.js';
import { DEVICE_EVENT_TYPES } from '../../domain/device/device-event-types.js';
import type { DeviceEvent } from '../../domain/device/device-events.js';
import { evolveDevice, initialDeviceState } from '../../domain/device/device-state.js';
import { toDomainEvent, type KnownEventTypes } from '../../domain/to-domain-event.js';
import type { Json, RecordedEvent } from '../../store/port.js';

/** A state replay can show: the domain's own state, whose `state` is the MozPool/LifeGuard state string. */
export type AuditedState = { readonly state: string };

/** How to replay one category of stream through its domain fold; each API family adds its own. */
export interface AuditKind {
  /** Stream category and path segment: `device` (`/api/device/...`, `device-<name>`). */
  readonly category: string;
  /** The canonical id for a raw one (path parameter, CLI argument), or undefined when it is malformed. */
  parseId(raw: string): string | undefined;
  streamOf(id: string): string;
  /** What a malformed id is told (400 on HTTP). */
  describeBadId(raw: string): string;
  /** The state after `events`, in stream order, through the domain's evolve. */
  fold(events: readonly RecordedEvent[]): AuditedState;
  /** The data a history lists of `event`, when the stored data holds secrets (even sealed); default: all of it. */
  readonly shownData?: (event: RecordedEvent) => Json;
}

type DomainFold<E extends DomainEvent, S extends AuditedState> = {
  readonly initialState: S;
  readonly evolve: (state: S, event: E) => S;
  /** Every type of the union, so types this version does not know are recognised. */
  readonly knownTypes: KnownEventTypes<E>;
};

/**
 * Folds recorded events through a domain evolve. The log may hold event types written by a newer
 * server; evolve's exhaustive switch would hand those back as the state, so they are skipped here.
 */
export function createAuditFold<E extends DomainEvent, S extends AuditedState>(domain: DomainFold<E, S>): AuditKind['fold'] {
  return (events) =>
    events.reduce<S>((state, recorded) => {
      const event = toDomainEvent(recorded, domain.knownTypes);
      return event === undefined ? state : domain.evolve(state, event);
    }, domain.initialState);
}

/** Devices are named by their stream's id part (`device-panda-0001`). */
export const deviceAudit: AuditKind = {
  category: 'device',
  parseId: (raw) => (raw === '' ? undefined : raw),
  streamOf: (id) => `device-${id}`,
  describeBadId: () => 'device name must not be empty',
  fold: createAuditFold<DeviceEvent, typeof initialDeviceState>({ initialState: initialDeviceState, evolve: evolveDevice, knownTypes: DEVICE_EVENT_TYPES }),
};
