import { accept, reject, type Deadline, type Decider, type Decision } from '../../../domain/decider.js';
import { eventTypes } from '../../../domain/to-domain-event.js';
import type { VmCommand, VmEvent } from './vm-events.js';

export const VM_EVENT_TYPES = eventTypes<VmEvent>({
  VmCheckedOut: true,
  VmLifetimeSet: true,
  VmTagged: true,
  VmDiskAdded: true,
  VmSnapshotTaken: true,
  VmSnapshotReverted: true,
  VmDeleted: true,
});

export type VmState = {
  /** Null until checked out. */
  readonly id: string | null;
  readonly pool: string;
  readonly device: string;
  readonly user: string | null;
  readonly tokenHash: string | null;
  readonly checkedOutAtMs: number;
  readonly lifetimeH: number;
  readonly tags: Readonly<Record<string, string>>;
  /** `+8gb` each, in order. */
  readonly disks: readonly string[];
  readonly snapshots: readonly string[];
  /** Set once deleted (by its user or at expiry): the VM is over. */
  readonly deletedAtMs: number | null;
};

export const initialVmState: VmState = {
  id: null,
  pool: '',
  device: '',
  user: null,
  tokenHash: null,
  checkedOutAtMs: 0,
  lifetimeH: 0,
  tags: {},
  disks: [],
  snapshots: [],
  deletedAtMs: null,
};

const HOUR_MS = 3_600_000;

/** When a VM checked out at `checkedOutAtMs` for `lifetimeH` hours expires. */
export function vmExpiresAtMs(state: Pick<VmState, 'checkedOutAtMs' | 'lifetimeH'>): number {
  return state.checkedOutAtMs + state.lifetimeH * HOUR_MS;
}

export function evolveVm(state: VmState, event: VmEvent): VmState {
  switch (event.type) {
    case 'VmCheckedOut': {
      const { id, pool, device, user, tokenHash, lifetimeH, atMs } = event.data;
      return { ...initialVmState, id, pool, device, user, tokenHash, lifetimeH, checkedOutAtMs: atMs };
    }
    case 'VmLifetimeSet':
      return { ...state, lifetimeH: event.data.lifetimeH };
    case 'VmTagged':
      return { ...state, tags: { ...state.tags, ...event.data.tags } };
    case 'VmDiskAdded':
      return { ...state, disks: [...state.disks, `+${event.data.sizeGb}gb`] };
    case 'VmSnapshotTaken':
      return { ...state, snapshots: [...state.snapshots, event.data.snapshot] };
    case 'VmSnapshotReverted':
      return state;
    case 'VmDeleted':
      return { ...state, deletedAtMs: event.data.atMs };
  }
}

function live(state: VmState): string | undefined {
  if (state.id === null) return 'no such vm';
  if (state.deletedAtMs !== null) return `vm ${state.id} is deleted`;
  return undefined;
}

export function decideVm(command: VmCommand, state: VmState): Decision<VmEvent> {
  if (command.type === 'CheckOut') {
    if (state.id !== null) return state.id === command.id && state.device === command.device ? accept() : reject('conflict', `vm ${state.id} exists`);
    if (!(command.lifetimeH > 0)) return reject('bad_lifetime', 'lifetime must be above 0 hours');
    const { id, pool, device, user, tokenHash, lifetimeH, nowMs } = command;
    return accept({ type: 'VmCheckedOut', data: { id, pool, device, user, tokenHash, lifetimeH, atMs: nowMs } });
  }
  if (command.type === 'Timeout') {
    // Stale when the lifetime moved on or the VM is over already.
    if (state.id === null || state.deletedAtMs !== null || command.nowMs < vmExpiresAtMs(state)) return accept();
    return accept({ type: 'VmDeleted', data: { reason: 'expired', atMs: command.nowMs } });
  }
  if (command.type === 'Delete') {
    // A second delete of a deleted VM changes nothing (the reaction that returns the device may run again).
    if (state.id !== null && state.deletedAtMs !== null) return accept();
    const why = live(state);
    return why === undefined ? accept({ type: 'VmDeleted', data: { reason: command.reason, atMs: command.nowMs } }) : reject('not_found', why);
  }
  const why = live(state);
  if (why !== undefined) return reject('not_found', why);
  switch (command.type) {
    case 'SetLifetime':
      if (!(command.lifetimeH > 0)) return reject('bad_lifetime', 'lifetime must be above 0 hours');
      return command.lifetimeH === state.lifetimeH ? accept() : accept({ type: 'VmLifetimeSet', data: { lifetimeH: command.lifetimeH, atMs: command.nowMs } });
    case 'Tag': {
      const changed = Object.entries(command.tags).filter(([key, value]) => state.tags[key] !== value);
      return changed.length === 0 ? accept() : accept({ type: 'VmTagged', data: { tags: Object.fromEntries(changed), atMs: command.nowMs } });
    }
    case 'AddDisk':
      return accept({ type: 'VmDiskAdded', data: { sizeGb: command.sizeGb, atMs: command.nowMs } });
    case 'Snapshot':
      return state.snapshots.includes(command.snapshot) ? accept() : accept({ type: 'VmSnapshotTaken', data: { snapshot: command.snapshot, atMs: command.nowMs } });
    case 'Revert':
      if (!state.snapshots.includes(command.snapshot)) return reject('not_found', `vm ${state.id} has no snapshot ${command.snapshot}`);
      return accept({ type: 'VmSnapshotReverted', data: { snapshot: command.snapshot, atMs: command.nowMs } });
  }
}

function vmDeadline(state: VmState): Deadline | undefined {
  if (state.id === null || state.deletedAtMs !== null) return undefined;
  return { name: 'expiry', atMs: vmExpiresAtMs(state) };
}

/** One checkout of a pool's device, from checkout to its deletion or expiry. */
export const vmDecider: Decider<VmCommand, VmEvent, VmState> = {
  initialState: initialVmState,
  knownEventTypes: VM_EVENT_TYPES,
  decide: decideVm,
  evolve: evolveVm,
  nextDeadline: vmDeadline,
  timeoutCommand: (deadline, nowMs) => ({ type: 'Timeout', deadline, nowMs }),
  deadlineFields: ['id', 'checkedOutAtMs', 'lifetimeH', 'deletedAtMs'],
  isFinal: (state) => state.deletedAtMs !== null,
};
