import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import type { Decider, Decision, DomainEvent } from '../../src/domain/decider.js';

/**
 * Given/when/then for any decider:
 *
 *     givenDecider(deviceDecider)
 *       .given(registered, enteredReady)
 *       .when({ type: 'Attach', requestId: 7, nowMs })
 *       .thenEvents([{ type: 'DeviceHolderAttached', data: { holder: requestHolder(7), atMs: nowMs } }])
 *       .thenState((state) => sameHolder(state.holder, requestHolder(7)));
 *
 * `given` folds past events with `evolve`; `when` runs `decide` on the resulting state (and may be
 * chained to send several commands in turn, each against the state the previous one left); every
 * `then…` asserts and returns the outcome, so assertions chain too.
 */
export function givenDecider<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>) {
  return {
    given: (...events: readonly Event[]) => scenario(decider, fold(decider, decider.initialState, events)),
    when: (command: Command) => scenario(decider, decider.initialState).when(command),
  };
}

export type Scenario<Command, Event extends DomainEvent, State> = {
  /** The state after the given events. */
  readonly state: State;
  when(command: Command): Outcome<Command, Event, State>;
};

export type Outcome<Command, Event extends DomainEvent, State> = {
  readonly decision: Decision<Event, State>;
  /** The state after the given events and any accepted events (unchanged when rejected). */
  readonly state: State;
  /** Exactly these events, in order. */
  thenEvents(expected: readonly Event[]): Outcome<Command, Event, State>;
  /** Events of these types, in order, whatever their data. */
  thenEventTypes(...types: readonly Event['type'][]): Outcome<Command, Event, State>;
  /** Accepted with no events: the command changed nothing (idempotent repeat). */
  thenNothing(): Outcome<Command, Event, State>;
  /** Rejected with `code`; `message`, when given, must match the rejection message. */
  thenRejected(code: string, message?: RegExp): Outcome<Command, Event, State>;
  /** `check` sees the state after the events; it may assert itself, or return false to fail. */
  thenState(check: (state: State) => boolean | void, description?: string): Outcome<Command, Event, State>;
  /** Another command, decided against the state this outcome left. */
  when(command: Command): Outcome<Command, Event, State>;
};

function fold<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>, state: State, events: readonly Event[]): State {
  return events.reduce((folded, event) => decider.evolve(folded, event), state);
}

function scenario<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>, state: State): Scenario<Command, Event, State> {
  return { state, when: (command) => outcome(decider, state, command) };
}

function outcome<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>, before: State, command: Command): Outcome<Command, Event, State> {
  const decision = decider.decide(command, before);
  const state = decision.ok ? fold(decider, before, decision.events) : before;
  // The actor trusts a state the decision carries instead of folding its events: it must be that fold.
  if (decision.ok && decision.state !== undefined) assert.deepStrictEqual(decision.state, state, 'the state the decision carries is not the fold of its events');
  const accepted = (): readonly Event[] => {
    if (!decision.ok) assert.fail(`expected events, but the command was rejected: ${decision.rejection.code}: ${decision.rejection.message}`);
    return decision.events;
  };
  const self: Outcome<Command, Event, State> = {
    decision,
    state,
    thenEvents: (expected) => (assert.deepStrictEqual(accepted(), expected), self),
    thenEventTypes: (...types) => (
      assert.deepStrictEqual(
        accepted().map((event) => event.type),
        types,
      ),
      self
    ),
    thenNothing: () => (assert.deepStrictEqual(accepted(), []), self),
    thenRejected(code, message) {
      if (decision.ok) assert.fail(`expected rejection ${code}, but got events ${inspect(decision.events, { depth: 5 })}`);
      assert.equal(decision.rejection.code, code, `rejected with ${decision.rejection.code}: ${decision.rejection.message}`);
      if (message !== undefined) assert.match(decision.rejection.message, message);
      return self;
    },
    thenState(check, description) {
      if (check(state) === false) assert.fail(`state check failed${description ? ` (${description})` : ''}: ${inspect(state, { depth: 5 })}`);
      return self;
    },
    when: (next) => outcome(decider, state, next),
  };
  return self;
}
