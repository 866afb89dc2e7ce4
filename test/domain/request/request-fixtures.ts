import assert from 'node:assert/strict';
import type { Decider } from '../../../src/domain/decider.js';
import type { FindOutcome, LifeguardOutcome, RequestCommand } from '../../../src/domain/request/request-commands.js';
import { createRequestDecider } from '../../../src/domain/request/request-decider.js';
import type { ImagingResult, RequestEvent } from '../../../src/domain/request/request-events.js';
import type { RequestState } from '../../../src/domain/request/request-state.js';
import { givenDecider, type Outcome } from '../../support/given-when-then.js';

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

export class RequestHistory {
  readonly events: RequestEvent[] = [];
  state: RequestState;
  nowMs = T0;

  constructor(readonly decider: RequestDecider = requestDecider) {
    this.state = decider.initialState;
  }

  send(command: RequestCommand | ((state: RequestState, nowMs: number) => RequestCommand)): this {
    const built = typeof command === 'function' ? command(this.state, this.nowMs) : command;
    const decision = this.decider.decide(built, this.state);
    if (!decision.ok) assert.fail(`fixture command ${built.type} rejected: ${decision.rejection.code}: ${decision.rejection.message}`);
    for (const event of decision.events) {
      this.events.push(event);
      this.state = this.decider.evolve(this.state, event);
    }
    return this;
  }

  /** Appends hand-made events (for histories the commands cannot produce). */
  record(...events: RequestEvent[]): this {
    for (const event of events) {
      this.events.push(event);
      this.state = this.decider.evolve(this.state, event);
    }
    return this;
  }

  open(overrides: Partial<Open> = {}): this {
    return this.send(openCommand({ nowMs: this.nowMs, ...overrides }));
  }

  timeout(): this {
    return this.send((state) => {
      const command = timeoutOf(this.decider, state);
      this.nowMs = command.nowMs;
      return command;
    });
  }

  times(n: number, step: (history: this) => unknown): this {
    for (let i = 0; i < n; i++) step(this);
    return this;
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

  given() {
    return givenDecider(this.decider).given(...this.events);
  }

  when(command: RequestCommand | ((state: RequestState, nowMs: number) => RequestCommand)): RequestOutcome {
    const built = typeof command === 'function' ? command(this.state, this.nowMs) : command;
    return this.given().when(built);
  }

  whenTimeout(): RequestOutcome {
    return this.given().when(timeoutOf(this.decider, this.state));
  }

  deadline() {
    return this.decider.nextDeadline?.(this.state);
  }
}

export function timeoutOf(decider: RequestDecider, state: RequestState): Extract<RequestCommand, { type: 'Timeout' }> {
  const deadline = decider.nextDeadline?.(state);
  assert.ok(deadline, `state ${state.state} has no deadline`);
  return { type: 'Timeout', deadline, nowMs: deadline.atMs };
}

/** Opened (the device found and attached beforehand): in `contacting_lifeguard`. */
export const contacting = (overrides: Partial<Open> = {}) => new RequestHistory().open(overrides);
/** LifeGuard accepted: waiting in `pending` for the imaging result. */
export const pending = (overrides: Partial<Open> = {}) => contacting(overrides).lifeguard('accepted');
/** The imaging completed: `ready`. */
export const ready = (overrides: Partial<Open> = {}) => pending(overrides).imaging('complete');
/** Back in `finding_device` because the assigned device was not ready. */
export const finding = (overrides: Partial<Open> = {}) => contacting(overrides).lifeguard('not_ready');

export const inState = (expected: string) => (state: RequestState) => assert.equal(state.state, expected);

/** The `to` of every `RequestStateEntered` in the outcome, in order. */
export function enteredStates(outcome: RequestOutcome): string[] {
  assert.ok(outcome.decision.ok, 'expected an accepted decision');
  return outcome.decision.events.flatMap((event) => (event.type === 'RequestStateEntered' ? [event.data.to] : []));
}

export function eventsOf<Type extends RequestEvent['type']>(outcome: RequestOutcome, type: Type): Extract<RequestEvent, { type: Type }>[] {
  assert.ok(outcome.decision.ok, 'expected an accepted decision');
  return outcome.decision.events.filter((event): event is Extract<RequestEvent, { type: Type }> => event.type === type);
}

/** Released `device` (the device claim given back) in this outcome. */
export function released(outcome: RequestOutcome): string[] {
  return eventsOf(outcome, 'RequestDeviceReleased').map((event) => event.data.device);
}
