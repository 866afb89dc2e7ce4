import { accept, reject, type Decider, type Decision } from '../decider.js';
import type { KnownEventTypes } from '../to-domain-event.js';
import type { InventoryEvent } from './inventory-events.js';
import { isSameJson } from './same-json.js';

/** Create or replace a catalogue entry. Idempotent: an unchanged definition appends nothing. */
export type DefineCommand<Definition> = {
  readonly type: 'Define';
  readonly definition: Definition;
  /** When the definition was read (the inventory sync's clock); goes into the event. */
  readonly atMs: number;
};

/** One catalogue entry: null until its first definition. JSON as it is, so snapshots need no codec. */
export type CatalogueState<Definition> = {
  readonly definition: Definition | null;
};

/** How one kind of catalogue entry (image, PXE config, hardware type) is checked and recorded. */
export type CatalogueKind<Definition extends { readonly name: string }, Event extends InventoryEvent> = {
  /** `image`, `PXE config`…: used in rejection messages. */
  readonly label: string;
  /** The one event type of its streams. */
  readonly eventTypes: KnownEventTypes<Event>;
  readonly problemsOf: (definition: Definition) => readonly string[];
  readonly defined: (definition: Definition, atMs: number) => Event;
  readonly definitionOf: (event: Event) => Definition;
};

/**
 * The decider shared by every catalogue kind. Rejections: `invalid_definition` (a field is bad) and
 * `name_mismatch` (the command names another entry than the stream's).
 */
export function createCatalogueDecider<Definition extends { readonly name: string }, Event extends InventoryEvent>(
  kind: CatalogueKind<Definition, Event>,
): Decider<DefineCommand<Definition>, Event, CatalogueState<Definition>> {
  return {
    initialState: { definition: null },
    knownEventTypes: kind.eventTypes,
    decide: (command, state) => decideDefine(kind, command, state),
    evolve: (_state, event) => ({ definition: kind.definitionOf(event) }),
  };
}

function decideDefine<Definition extends { readonly name: string }, Event extends InventoryEvent>(
  kind: CatalogueKind<Definition, Event>,
  command: DefineCommand<Definition>,
  state: CatalogueState<Definition>,
): Decision<Event> {
  const { definition } = command;
  const problems = kind.problemsOf(definition);
  if (problems.length > 0) return reject('invalid_definition', `invalid ${kind.label} ${JSON.stringify(definition.name)}: ${problems.join('; ')}`);
  const current = state.definition;
  if (current !== null && current.name !== definition.name) {
    return reject('name_mismatch', `this ${kind.label} is ${JSON.stringify(current.name)}, not ${JSON.stringify(definition.name)}`);
  }
  if (current !== null && isSameJson(current, definition)) return accept();
  return accept(kind.defined(definition, command.atMs));
}
