import type { Decider } from '../../../../src/domain/decider.js';
import type { FindOutcome, LifeguardOutcome, RequestCommand } from '../../../../src/dialects/mozpool/domain/request-commands.js';
import { createRequestDecider } from '../../../../src/dialects/mozpool/domain/request-decider.js';
import type { ImagingResult, RequestEvent } from '../../../../src/dialects/mozpool/domain/request-events.js';
import type { RequestState } from '../../../../src/dialects/mozpool/domain/request-state.js';
import { DeciderHistory, enteredStates as enteredStatesOf, eventsOf } from '../../../support/decider-history.js';
import type { Outcome } from '../../../support/given-when-then.js';

export { eventsOf, inState, timeoutOf } from '../../../support/decider-history.js';

/** Request histories built by sending commands to the decider itself, replayed as `given` events. */
export const T0 = Date.UTC(2024, 5, 1, 12, 0, 0);
export const DEVICE = 'panda-0001';
export const OTHER = 'panda-0002';
export const HOUR_S = 3600;

export type RequestDecider = Decider<RequestCommand, RequestEvent, RequestState>;
export type RequestOutcome = Outcome<RequestCommand, RequestEvent, RequestState>;
type Open = Extract<RequestCommand, { type: 'Open' }>;

export const requestDecider: RequestDecider = createRequestDecider();

export function openCommand(overrides: Partial<Open> = {}): Open {
  return {
    type: 'Open',
    id: 42,
    requestedDevice: 'any',
    assignee: 'tester@example.com',
    image: 'android',
    bootConfig: '{"b2gbase":"http://builds/1"}',
    environment: 'any',
    imagingServer: 'lab1:8010',
    durationS: HOUR_S,
    assignedDevice: DEVICE,
    nowMs: T0,
    ...overrides,
  };
}

export class RequestHistory extends DeciderHistory<RequestCommand, RequestEvent, RequestState> {
  constructor(decider: RequestDecider = requestDecider) {
    super(decider, T0);
  }

  open(overrides: Partial<Open> = {}): this {
    return this.send(openCommand({ nowMs: this.nowMs, ...overrides }));
  }

  find(outcome: FindOutcome): this {
    return this.send((state, nowMs) => ({ type: 'FindResult', seq: state.seq, outcome, nowMs }));
  }

  lifeguard(outcome: LifeguardOutcome, detail = ''): this {
    return this.send((state, nowMs) => ({ type: 'LifeguardResult', seq: state.seq, outcome, detail, nowMs }));
  }

  imaging(result: ImagingResult, device = this.state.assignedDevice ?? DEVICE): this {
    return this.send((_, nowMs) => ({ type: 'ImagingResult', device, result, nowMs }));
  }
}

/** Opened (the device found and attached beforehand): in `contacting_lifeguard`. */
export const contacting = (overrides: Partial<Open> = {}) => new RequestHistory().open(overrides);
/** LifeGuard accepted: waiting in `pending` for the imaging result. */
export const pending = (overrides: Partial<Open> = {}) => contacting(overrides).lifeguard('accepted');
/** The imaging completed: `ready`. */
export const ready = (overrides: Partial<Open> = {}) => pending(overrides).imaging('complete');
/** Back in `finding_device` because the assigned device was not ready. */
export const finding = (overrides: Partial<Open> = {}) => contacting(overrides).lifeguard('not_ready');

/** The `to` of every `RequestStateEntered` in the outcome, in order. */
export const enteredStates = (outcome: RequestOutcome): string[] => enteredStatesOf(outcome, 'RequestStateEntered');

/** Released `device` (the device claim given back) in this outcome. */
export function released(outcome: RequestOutcome): string[] {
  return eventsOf(outcome, 'RequestDeviceReleased').map((event) => event.data.device);
}
