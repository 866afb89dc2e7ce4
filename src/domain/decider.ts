import type { Json } from './json.js';
import type { KnownEventTypes } from './to-domain-event.js';

/** Why a command was refused: a value, never a throw (a throw inside an actor would stop it). */
export interface Rejection {
  /** Stable, machine-readable: `not_free`, `bad_state`, `conflict`… */
  readonly code: string;
  readonly message: string;
}

/**
 * What `decide` made of a command. An accepted decision may carry `state`, the state after its events,
 * when `decide` folded them already (a {@link DecisionBuilder}): the actor then need not fold them again.
 */
export type Decision<Event, State = never> = { readonly ok: true; readonly events: readonly Event[]; readonly state?: State } | { readonly ok: false; readonly rejection: Rejection };

/** A domain event as the store keeps it: a past-tense type and JSON data. */
export interface DomainEvent<Type extends string = string, Data extends Json = Json> {
  readonly type: Type;
  readonly data: Data;
}

/** A point in time at which the state wants a `Timeout` command. */
export interface Deadline {
  /** Which timeout this is (`state_timeout`, `lease_expiry`…); `decide` uses it to ignore stale ones. */
  readonly name: string;
  /** Epoch milliseconds (UTC). */
  readonly atMs: number;
}

/**
 * Pure domain logic of one kind of actor. `decide` never reads a clock or does I/O: time, ids and
 * hardware results arrive inside commands.
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  readonly initialState: State;
  /** Every type of Event: what the actor folds from its stream (built by `eventTypes`). */
  readonly knownEventTypes: KnownEventTypes<Event>;
  decide(command: Command, state: State): Decision<Event, State>;
  evolve(state: State, event: Event): State;
  /** The nearest deadline of `state`, if it has one. */
  nextDeadline?(state: State): Deadline | undefined;
  /** The command that tells the actor `deadline` has passed, at `nowMs`. */
  timeoutCommand?(deadline: Deadline, nowMs: number): Command;
  /**
   * The fields of State that `nextDeadline` reads. `evolve` must compute them from these fields and
   * the event alone, so that a server can fold every stream's deadline in one pass over the log and
   * arm it without loading the actor (test/domain/deadline-fields.test.ts checks both).
   */
  readonly deadlineFields?: readonly (keyof State)[];
  /**
   * True for a state no command changes any more (a closed request, a finished boot): its actor may
   * leave memory as soon as it is idle. Only a hint: an actor unloaded too early simply loads again.
   */
  isFinal?(state: State): boolean;
}

export function accept<Event>(...events: Event[]): Decision<Event> {
  return { ok: true, events };
}

export function reject<Event>(code: string, message: string): Decision<Event> {
  return { ok: false, rejection: { code, message } };
}
