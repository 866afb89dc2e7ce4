import type { Json } from './json.js';

/** decider.ts's DomainEvent, which is not imported here: decider.ts imports this file. */
type TypedEvent = { readonly type: string; readonly data: Json };

declare const eventsOf: unique symbol;

/**
 * Every type of one event union, built by {@link eventTypes}: the type names which union, so that
 * {@link toDomainEvent} gives back events of that union.
 */
export interface KnownEventTypes<Event extends TypedEvent> {
  /** Each type once, in the order listed. */
  readonly types: readonly Event['type'][];
  has(type: string): type is Event['type'];
  /** Never set: only carries Event. */
  readonly [eventsOf]?: Event;
}

/**
 * The types of `Event`, from a record that must name each of them once: an event type added to the
 * union but not listed here is a compile error, so no type is left unknown by mistake.
 */
export function eventTypes<Event extends TypedEvent>(types: Readonly<Record<Event['type'], true>>): KnownEventTypes<Event> {
  const list = Object.keys(types) as Event['type'][];
  const known: ReadonlySet<string> = new Set(list);
  return { types: list, has: (type): type is Event['type'] => known.has(type) };
}

/**
 * A recorded event as an event of the union `known` lists, or undefined when its type is not one of
 * them: a newer server may have written types this one does not know, and those are skipped, not
 * cast. The data is trusted to be what this version's deciders write for the type.
 */
export function toDomainEvent<Event extends TypedEvent>(recorded: { readonly type: string; readonly data: Json }, known: KnownEventTypes<Event>): Event | undefined {
  if (!known.has(recorded.type)) return undefined;
  return { type: recorded.type, data: recorded.data } as Event;
}
