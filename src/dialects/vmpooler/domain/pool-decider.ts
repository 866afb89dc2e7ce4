import { accept, reject, type Decider, type Decision } from '../../../domain/decider.js';
import { eventTypes } from '../../../domain/to-domain-event.js';

/**
 * What operators change in a pool at run time (stream `pool-<name>`); the configuration file gives
 * the rest. Overrides persist over restarts and win over the file's values.
 */
export type PoolEvent =
  | { readonly type: 'PoolSizeSet'; readonly data: { readonly size: number; readonly atMs: number } }
  /** Back to the configured size (`DELETE /config/poolsize/<pool>`). */
  | { readonly type: 'PoolSizeCleared'; readonly data: { readonly atMs: number } }
  | { readonly type: 'PoolTemplateSet'; readonly data: { readonly image: string; readonly atMs: number } }
  /** Every device ready or being imaged before this is imaged afresh (`POST /poolreset`). */
  | { readonly type: 'PoolResetRequested'; readonly data: { readonly atMs: number } };

export type PoolCommand =
  | { readonly type: 'SetSize'; readonly size: number; readonly nowMs: number }
  | { readonly type: 'ClearSize'; readonly nowMs: number }
  | { readonly type: 'SetTemplate'; readonly image: string; readonly nowMs: number }
  | { readonly type: 'Reset'; readonly nowMs: number };

export type PoolState = {
  readonly size: number | null;
  readonly image: string | null;
  /** 0 when never reset. */
  readonly resetAtMs: number;
};

export const initialPoolState: PoolState = { size: null, image: null, resetAtMs: 0 };

export const POOL_EVENT_TYPES = eventTypes<PoolEvent>({ PoolSizeSet: true, PoolSizeCleared: true, PoolTemplateSet: true, PoolResetRequested: true });

export function evolvePool(state: PoolState, event: PoolEvent): PoolState {
  switch (event.type) {
    case 'PoolSizeSet':
      return { ...state, size: event.data.size };
    case 'PoolSizeCleared':
      return { ...state, size: null };
    case 'PoolTemplateSet':
      return { ...state, image: event.data.image };
    case 'PoolResetRequested':
      return { ...state, resetAtMs: event.data.atMs };
  }
}

/** A change that changes nothing is accepted with no event: vmpooler answers 200 instead of 201 then. */
export function decidePool(command: PoolCommand, state: PoolState): Decision<PoolEvent> {
  switch (command.type) {
    case 'SetSize':
      if (!Number.isInteger(command.size) || command.size < 0) return reject('bad_size', 'a pool size is an integer of 0 or more');
      return state.size === command.size ? accept() : accept({ type: 'PoolSizeSet', data: { size: command.size, atMs: command.nowMs } });
    case 'ClearSize':
      return state.size === null ? accept() : accept({ type: 'PoolSizeCleared', data: { atMs: command.nowMs } });
    case 'SetTemplate':
      if (command.image === '') return reject('bad_template', 'a template names an image');
      return state.image === command.image ? accept() : accept({ type: 'PoolTemplateSet', data: { image: command.image, atMs: command.nowMs } });
    case 'Reset':
      return accept({ type: 'PoolResetRequested', data: { atMs: command.nowMs } });
  }
}

export const poolDecider: Decider<PoolCommand, PoolEvent, PoolState> = {
  initialState: initialPoolState,
  knownEventTypes: POOL_EVENT_TYPES,
  decide: decidePool,
  evolve: evolvePool,
};
