import { eventTypes } from '../to-domain-event.js';
import { createCatalogueDecider, type CatalogueState, type DefineCommand } from './catalogue-decider.js';
import { hardwareTypeDefinitionProblems } from './definition-problems.js';
import type { HardwareTypeDefinition, InventoryEvent } from './inventory-events.js';

export type HardwareTypeDefined = Extract<InventoryEvent, { readonly type: 'HardwareTypeDefined' }>;
export type HardwareTypeCommand = DefineCommand<HardwareTypeDefinition>;
export type HardwareTypeState = CatalogueState<HardwareTypeDefinition>;

/** One hardware type of the catalogue (stream `hardwaretype-<name>`). */
export const hardwareTypeDecider = createCatalogueDecider<HardwareTypeDefinition, HardwareTypeDefined>({
  label: 'hardware type',
  eventTypes: eventTypes<HardwareTypeDefined>({ HardwareTypeDefined: true }),
  problemsOf: hardwareTypeDefinitionProblems,
  defined: (definition, atMs) => ({ type: 'HardwareTypeDefined', data: { ...definition, atMs } }),
  definitionOf: ({ data: { atMs: _atMs, ...definition } }) => definition,
});

/** What the lab registers as an actor: a plain object, as domain code imports nothing from src/actors. */
export const hardwareTypeActor = {
  category: 'hardwaretype',
  decider: hardwareTypeDecider,
};
