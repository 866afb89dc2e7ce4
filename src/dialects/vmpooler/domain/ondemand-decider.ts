import { accept, reject, type Deadline, type Decider, type Decision } from '../../../domain/decider.js';
import { eventTypes } from '../../../domain/to-domain-event.js';

/** One name of an on-demand request (a pool or an alias, as the client wrote it) and how many hosts. */
export type OndemandWant = { readonly name: string; readonly count: number };

/** A host the request got: its VM (a normal checkout) and the device under it. */
export type OndemandVm = { readonly name: string; readonly vmId: string; readonly pool: string; readonly device: string };

/** Facts of one on-demand request (stream `ondemand-<id>`). */
export type OndemandEvent =
  | {
      readonly type: 'OndemandRequested';
      readonly data: {
        readonly id: string;
        readonly wants: readonly OndemandWant[];
        readonly user: string | null;
        readonly tokenHash: string | null;
        readonly atMs: number;
        /** Unfilled by then, the request fails. */
        readonly deadlineAtMs: number;
      };
    }
  | { readonly type: 'OndemandVmAllocated'; readonly data: OndemandVm & { readonly atMs: number } }
  | { readonly type: 'OndemandFilled'; readonly data: { readonly atMs: number } }
  | { readonly type: 'OndemandFailed'; readonly data: { readonly reason: 'timeout'; readonly atMs: number } }
  | { readonly type: 'OndemandDeleted'; readonly data: { readonly atMs: number } };

export type OndemandCommand =
  | {
      readonly type: 'Request';
      readonly id: string;
      readonly wants: readonly OndemandWant[];
      readonly user: string | null;
      readonly tokenHash: string | null;
      readonly timeoutMs: number;
      readonly nowMs: number;
    }
  /** A host was checked out for the request: recorded while it is pending and still short of that name. */
  | ({ readonly type: 'RecordVm'; readonly nowMs: number } & OndemandVm)
  | { readonly type: 'Delete'; readonly nowMs: number }
  | { readonly type: 'Timeout'; readonly deadline: Deadline; readonly nowMs: number };

export const ONDEMAND_EVENT_TYPES = eventTypes<OndemandEvent>({
  OndemandRequested: true,
  OndemandVmAllocated: true,
  OndemandFilled: true,
  OndemandFailed: true,
  OndemandDeleted: true,
});

export type OndemandStatus = 'pending' | 'ready' | 'failed' | 'deleted';

export type OndemandState = {
  /** Null until requested. */
  readonly id: string | null;
  readonly wants: readonly OndemandWant[];
  readonly user: string | null;
  readonly tokenHash: string | null;
  readonly requestedAtMs: number;
  readonly deadlineAtMs: number;
  readonly vms: readonly OndemandVm[];
  readonly status: OndemandStatus;
};

export const initialOndemandState: OndemandState = { id: null, wants: [], user: null, tokenHash: null, requestedAtMs: 0, deadlineAtMs: 0, vms: [], status: 'pending' };

/** How many hosts the request still needs for `name`. */
export function missingFor(state: Pick<OndemandState, 'wants' | 'vms'>, name: string): number {
  const wanted = state.wants.filter((want) => want.name === name).reduce((sum, want) => sum + want.count, 0);
  return wanted - state.vms.filter((vm) => vm.name === name).length;
}

function filled(state: Pick<OndemandState, 'wants' | 'vms'>): boolean {
  return state.wants.every((want) => missingFor(state, want.name) <= 0);
}

export function evolveOndemand(state: OndemandState, event: OndemandEvent): OndemandState {
  switch (event.type) {
    case 'OndemandRequested': {
      const { id, wants, user, tokenHash, atMs, deadlineAtMs } = event.data;
      return { ...initialOndemandState, id, wants, user, tokenHash, requestedAtMs: atMs, deadlineAtMs };
    }
    case 'OndemandVmAllocated': {
      const { name, vmId, pool, device } = event.data;
      return { ...state, vms: [...state.vms, { name, vmId, pool, device }] };
    }
    case 'OndemandFilled':
      return { ...state, status: 'ready' };
    case 'OndemandFailed':
      return { ...state, status: 'failed' };
    case 'OndemandDeleted':
      return { ...state, status: 'deleted' };
  }
}

export function decideOndemand(command: OndemandCommand, state: OndemandState): Decision<OndemandEvent> {
  if (command.type === 'Request') {
    if (state.id !== null) return reject('conflict', `request ${state.id} exists already`);
    if (command.wants.length === 0 || command.wants.some((want) => !Number.isInteger(want.count) || want.count < 1)) return reject('bad_request', 'nothing to request');
    if (!(command.timeoutMs > 0)) return reject('bad_request', 'the timeout must be above 0');
    const { id, wants, user, tokenHash, nowMs } = command;
    return accept({ type: 'OndemandRequested', data: { id, wants, user, tokenHash, atMs: nowMs, deadlineAtMs: nowMs + command.timeoutMs } });
  }
  if (state.id === null) return reject('not_found', 'no such request');
  switch (command.type) {
    case 'RecordVm': {
      // Too late (failed, deleted) or no longer wanted: the caller gives the host back.
      if (state.status !== 'pending') return reject('not_pending', `request ${state.id} is ${state.status}`);
      if (state.vms.some((vm) => vm.vmId === command.vmId)) return accept();
      if (missingFor(state, command.name) <= 0) return reject('not_wanted', `request ${state.id} has its ${command.name} hosts`);
      const { name, vmId, pool, device, nowMs } = command;
      const allocated: OndemandEvent = { type: 'OndemandVmAllocated', data: { name, vmId, pool, device, atMs: nowMs } };
      const after = evolveOndemand(state, allocated);
      return filled(after) ? accept<OndemandEvent>(allocated, { type: 'OndemandFilled', data: { atMs: nowMs } }) : accept(allocated);
    }
    case 'Delete':
      return state.status === 'deleted' ? accept() : accept({ type: 'OndemandDeleted', data: { atMs: command.nowMs } });
    case 'Timeout':
      // Stale once filled, failed or deleted, or early.
      if (state.status !== 'pending' || command.nowMs < state.deadlineAtMs) return accept();
      return accept({ type: 'OndemandFailed', data: { reason: 'timeout', atMs: command.nowMs } });
  }
}

/** One on-demand request: pending until its hosts are all checked out, failed at its deadline. */
export const ondemandDecider: Decider<OndemandCommand, OndemandEvent, OndemandState> = {
  initialState: initialOndemandState,
  knownEventTypes: ONDEMAND_EVENT_TYPES,
  decide: decideOndemand,
  evolve: evolveOndemand,
  nextDeadline: (state) => (state.id !== null && state.status === 'pending' ? { name: 'fill', atMs: state.deadlineAtMs } : undefined),
  timeoutCommand: (deadline, nowMs) => ({ type: 'Timeout', deadline, nowMs }),
  deadlineFields: ['id', 'status', 'deadlineAtMs'],
  isFinal: (state) => state.status === 'deleted',
};
