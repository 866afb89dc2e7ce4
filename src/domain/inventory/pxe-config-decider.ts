import { eventTypes } from '../to-domain-event.js';
import { createCatalogueDecider, type CatalogueState, type DefineCommand } from './catalogue-decider.js';
import { pxeConfigDefinitionProblems } from './definition-problems.js';
import type { InventoryEvent, PxeConfigDefinition } from './inventory-events.js';

export type PxeConfigDefined = Extract<InventoryEvent, { readonly type: 'PxeConfigDefined' }>;
export type PxeConfigCommand = DefineCommand<PxeConfigDefinition>;
export type PxeConfigState = CatalogueState<PxeConfigDefinition>;

/** One PXE config of the catalogue (stream `pxeconfig-<name>`). */
export const pxeConfigDecider = createCatalogueDecider<PxeConfigDefinition, PxeConfigDefined>({
  label: 'PXE config',
  eventTypes: eventTypes<PxeConfigDefined>({ PxeConfigDefined: true }),
  problemsOf: pxeConfigDefinitionProblems,
  defined: (definition, atMs) => ({ type: 'PxeConfigDefined', data: { ...definition, atMs } }),
  definitionOf: ({ data: { atMs: _atMs, ...definition } }) => definition,
});

/** What the lab registers as an actor: a plain object, as domain code imports nothing from src/actors. */
export const pxeConfigActor = {
  category: 'pxeconfig',
  decider: pxeConfigDecider,
};
