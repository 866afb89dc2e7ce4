import { accept, reject, type Deadline, type Decider } from '../../src/domain/decider.js';
import type { ActorDefinition } from '../../src/actors/persistent-actor.js';
import { eventTypes } from '../../src/domain/to-domain-event.js';

/** A small decider for testing the actor shell: a counter with one alarm deadline. */
export type CounterCommand =
  | { readonly type: 'Increment'; readonly by: number; readonly nonce?: string }
  | { readonly type: 'SetAlarm'; readonly atMs: number }
  | { readonly type: 'Timeout'; readonly deadline: Deadline; readonly nowMs: number }
  | { readonly type: 'Explode' };

export type CounterEvent =
  | { readonly type: 'Incremented'; readonly data: { readonly by: number; readonly nonce: string | null } }
  | { readonly type: 'AlarmSet'; readonly data: { readonly atMs: number } }
  | { readonly type: 'AlarmRang'; readonly data: { readonly atMs: number; readonly rangAtMs: number } };

export interface CounterState {
  readonly count: number;
  readonly alarmAtMs: number | null;
  readonly rang: number;
}

export const counterDecider: Decider<CounterCommand, CounterEvent, CounterState> = {
  initialState: { count: 0, alarmAtMs: null, rang: 0 },
  knownEventTypes: eventTypes<CounterEvent>({ Incremented: true, AlarmSet: true, AlarmRang: true }),
  decide(command, state) {
    switch (command.type) {
      case 'Increment':
        if (command.by <= 0) return reject('bad_increment', `increment must be positive, got ${command.by}`);
        return accept({ type: 'Incremented', data: { by: command.by, nonce: command.nonce ?? null } });
      case 'SetAlarm':
        return accept({ type: 'AlarmSet', data: { atMs: command.atMs } });
      case 'Timeout':
        if (command.deadline.atMs !== state.alarmAtMs) return reject('stale_timeout', 'no such alarm');
        return accept({ type: 'AlarmRang', data: { atMs: command.deadline.atMs, rangAtMs: command.nowMs } });
      case 'Explode':
        throw new Error('a decider bug');
      default:
        return command satisfies never;
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'Incremented':
        return { ...state, count: state.count + event.data.by };
      case 'AlarmSet':
        return { ...state, alarmAtMs: event.data.atMs };
      case 'AlarmRang':
        return { ...state, alarmAtMs: null, rang: state.rang + 1 };
      default:
        return event satisfies never;
    }
  },
  nextDeadline: (state) => (state.alarmAtMs === null ? undefined : { name: 'alarm', atMs: state.alarmAtMs }),
  timeoutCommand: (deadline, nowMs) => ({ type: 'Timeout', deadline, nowMs }),
};

export const counterActor: ActorDefinition<CounterCommand, CounterEvent, CounterState> = {
  category: 'counter',
  decider: counterDecider,
};
