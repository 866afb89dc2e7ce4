import { accept, reject, type Decider, type Decision } from '../decider.js';
import { BOOT_EVENT_TYPES } from './boot-event-types.js';
import type { BootEvent } from './boot-events.js';

/** What the device actor reports about a boot it runs; the boot stream is that attempt's audit record. */
export type BootCommand =
  /** Opens the record with everything `BootOpened` carries, at `nowMs`. */
  | ({ readonly type: 'Open'; readonly nowMs: number } & Omit<Extract<BootEvent, { type: 'BootOpened' }>['data'], 'atMs'>)
  | { readonly type: 'EnterStage'; readonly stage: string; readonly counter: number; readonly nowMs: number }
  | { readonly type: 'RecordPowerCycle'; readonly ok: boolean; readonly error: string | null; readonly nowMs: number }
  | { readonly type: 'RecordDeviceEvent'; readonly event: string; readonly nowMs: number }
  | { readonly type: 'Finish'; readonly outcome: 'complete' | 'failed'; readonly finalState: string; readonly nowMs: number };

export type BootState = {
  readonly opened: boolean;
  readonly finished: boolean;
  readonly startedAtMs: number;
  readonly stage: string | null;
  readonly stageSinceMs: number;
  readonly stageDurationsMs: Readonly<Record<string, number>>;
};

export const initialBootState: BootState = { opened: false, finished: false, startedAtMs: 0, stage: null, stageSinceMs: 0, stageDurationsMs: {} };

/** Adds the time spent in the current stage up to `atMs`. */
function closeStage(state: BootState, atMs: number): Readonly<Record<string, number>> {
  if (state.stage === null) return state.stageDurationsMs;
  const spent = Math.max(0, atMs - state.stageSinceMs);
  return { ...state.stageDurationsMs, [state.stage]: (state.stageDurationsMs[state.stage] ?? 0) + spent };
}

export function evolveBoot(state: BootState, event: BootEvent): BootState {
  switch (event.type) {
    case 'BootOpened':
      return { ...state, opened: true, startedAtMs: event.data.atMs };
    case 'BootStageEntered':
      return { ...state, stageDurationsMs: closeStage(state, event.data.atMs), stage: event.data.stage, stageSinceMs: event.data.atMs };
    case 'BootFinished':
      return { ...state, finished: true, stage: null, stageDurationsMs: event.data.stageDurationsMs };
    case 'BootPowerCycleAttempted':
    case 'BootDeviceReported':
      return state;
    default:
      return event satisfies never;
  }
}

function decideBoot(command: BootCommand, state: BootState): Decision<BootEvent> {
  if (command.type === 'Open') {
    if (state.opened) return accept();
    const { type: _type, nowMs, ...data } = command;
    return accept({ type: 'BootOpened', data: { ...data, atMs: nowMs } });
  }
  if (!state.opened) return reject('unknown_boot', 'the boot was never opened');
  if (state.finished) return reject('finished', 'the boot has finished');
  const atMs = command.nowMs;
  switch (command.type) {
    case 'EnterStage':
      return accept({ type: 'BootStageEntered', data: { stage: command.stage, counter: command.counter, atMs } });
    case 'RecordPowerCycle':
      return accept({ type: 'BootPowerCycleAttempted', data: { ok: command.ok, error: command.error, atMs } });
    case 'RecordDeviceEvent':
      return accept({ type: 'BootDeviceReported', data: { event: command.event, atMs } });
    case 'Finish': {
      const stageDurationsMs = closeStage(state, atMs);
      const durationMs = Math.max(0, atMs - state.startedAtMs);
      return accept({ type: 'BootFinished', data: { outcome: command.outcome, finalState: command.finalState, atMs, durationMs, stageDurationsMs } });
    }
    default:
      return command satisfies never;
  }
}

export const bootDecider: Decider<BootCommand, BootEvent, BootState> = {
  initialState: initialBootState,
  knownEventTypes: BOOT_EVENT_TYPES,
  decide: decideBoot,
  evolve: evolveBoot,
  isFinal: (state) => state.finished,
};
