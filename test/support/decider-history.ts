import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import type { Deadline, Decider, DomainEvent } from '../../src/domain/decider.js';
import { givenDecider, type Outcome, type Scenario } from './given-when-then.js';

/** A command, or a function that builds one from the current state and clock. */
export type CommandOf<Command, State> = Command | ((state: State, nowMs: number) => Command);

/**
 * A history built by sending commands to the decider itself (so it cannot drift from what the
 * decider really emits), then handed to `givenDecider(...).given(...)` as past events:
 *
 *     class DeviceHistory extends DeciderHistory<DeviceCommand, DeviceEvent, DeviceState> { … }
 *     new DeviceHistory().register().timeout().whenTimeout().thenEventTypes(…);
 *
 * Subclasses add their domain's command helpers; every chaining method returns `this`.
 */
export class DeciderHistory<Command extends { readonly type: string }, Event extends DomainEvent, State> {
  readonly events: Event[] = [];
  state: State;
  nowMs: number;

  constructor(
    readonly decider: Decider<Command, Event, State>,
    startMs: number,
  ) {
    this.state = decider.initialState;
    this.nowMs = startMs;
  }

  /** Sends a command (built from the current state when a function); it must be accepted. */
  send(command: CommandOf<Command, State>): this {
    const built = this.build(command);
    const decision = this.decider.decide(built, this.state);
    if (!decision.ok) assert.fail(`fixture command ${built.type} rejected: ${decision.rejection.code}: ${decision.rejection.message}`);
    return this.record(...decision.events);
  }

  /** Appends hand-made events (for histories the commands cannot produce). */
  record(...events: readonly Event[]): this {
    for (const event of events) {
      this.events.push(event);
      this.state = this.decider.evolve(this.state, event);
    }
    return this;
  }

  /** The current state's deadline passes (the clock moves to it). */
  timeout(): this {
    return this.send((state) => {
      this.nowMs = deadlineOf(this.decider, state).atMs;
      return timeoutOf(this.decider, state);
    });
  }

  times(n: number, step: (history: this) => unknown): this {
    for (let i = 0; i < n; i++) step(this);
    return this;
  }

  /** The current state's nearest deadline, if any. */
  deadline(): Deadline | undefined {
    return this.decider.nextDeadline?.(this.state);
  }

  /** given(...these events): the scenario to send the command under test to. */
  given(): Scenario<Command, Event, State> {
    return givenDecider(this.decider).given(...this.events);
  }

  /** Shorthand: `given().when(command)`; a function builds the command from the current state. */
  when(command: CommandOf<Command, State>): Outcome<Command, Event, State> {
    return this.given().when(this.build(command));
  }

  /** Shorthand: `given().when(the Timeout of the current state's deadline)`. */
  whenTimeout(): Outcome<Command, Event, State> {
    return this.given().when(timeoutOf(this.decider, this.state));
  }

  private build(command: CommandOf<Command, State>): Command {
    return typeof command === 'function' ? command(this.state, this.nowMs) : command;
  }
}

/** The nearest deadline of `state`; fails when it has none. */
export function deadlineOf<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>, state: State): Deadline {
  const deadline = decider.nextDeadline?.(state);
  assert.ok(deadline, `state ${stateName(state)} has no deadline`);
  return deadline;
}

/** The Timeout command (via `decider.timeoutCommand`) for `state`'s deadline, at the deadline. */
export function timeoutOf<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>, state: State): Command {
  const deadline = deadlineOf(decider, state);
  assert.ok(decider.timeoutCommand !== undefined, 'the decider has no timeoutCommand');
  return decider.timeoutCommand(deadline, deadline.atMs);
}

/** The events of one type in an accepted outcome. */
export function eventsOf<Command, Event extends DomainEvent, State, Type extends Event['type']>(outcome: Outcome<Command, Event, State>, type: Type): Extract<Event, { type: Type }>[] {
  assert.ok(outcome.decision.ok, 'expected an accepted decision');
  return outcome.decision.events.filter((event): event is Extract<Event, { type: Type }> => event.type === type);
}

/** The event types of `Event` whose data records the state entered (`data.to`). */
export type StateEnteredType<Event extends DomainEvent> = {
  [Type in Event['type']]: Extract<Event, { type: Type }> extends { readonly data: { readonly to: string } } ? Type : never;
}[Event['type']];

/** The `to` of every `stateEnteredType` event in an accepted outcome, in order. */
export function enteredStates<Command, Event extends DomainEvent, State>(outcome: Outcome<Command, Event, State>, stateEnteredType: StateEnteredType<Event>): string[] {
  return eventsOf(outcome, stateEnteredType).map((event) => (event.data as { readonly to: string }).to);
}

/** For `thenState`: the state is named `expected`. */
export const inState =
  (expected: string) =>
  (state: { readonly state: string }): void =>
    assert.equal(state.state, expected);

function stateName(state: unknown): string {
  const name = typeof state === 'object' && state !== null ? (state as { readonly state?: unknown }).state : undefined;
  return typeof name === 'string' ? name : inspect(state, { depth: 2 });
}
