import { eventTypes } from '../to-domain-event.js';
import { createCatalogueDecider, type CatalogueState, type DefineCommand } from './catalogue-decider.js';
import { imageDefinitionProblems } from './definition-problems.js';
import type { ImageDefinition, InventoryEvent } from './inventory-events.js';

export type ImageDefined = Extract<InventoryEvent, { readonly type: 'ImageDefined' }>;
export type ImageCommand = DefineCommand<ImageDefinition>;
export type ImageState = CatalogueState<ImageDefinition>;

/** One image of the catalogue (stream `image-<name>`). */
export const imageDecider = createCatalogueDecider<ImageDefinition, ImageDefined>({
  label: 'image',
  eventTypes: eventTypes<ImageDefined>({ ImageDefined: true }),
  problemsOf: imageDefinitionProblems,
  defined: (definition, atMs) => ({ type: 'ImageDefined', data: { ...definition, atMs } }),
  definitionOf: ({ data: { atMs: _atMs, ...definition } }) => definition,
});

/** What the lab registers as an actor: a plain object, as domain code imports nothing from src/actors. */
export const imageActor = {
  category: 'image',
  decider: imageDecider,
};
