import { Ajv } from 'ajv';
import { schemaProblems } from '../design/schema-problems.js';
import type { FilterableNode, NodeFilter, NodeFilterSet } from './design.js';

/**
 * Drydock's node filters, as its task document describes them: within one filter each criterion
 * given selects a set (names: those nodes; tags: nodes with every tag; labels and rack labels: nodes
 * whose labels hold every pair; racks: nodes in those racks); `filter_type` intersects or unites those
 * sets, and a filter with no criterion selects every node. `filter_set_type` combines the filters.
 * Drydock's code departed from its document in three places (tags and labels matched when any one did,
 * rack labels selected every node, a filter with no criterion selected none); labpool follows the
 * document. Criteria may be null: Drydock's own CLI sends `"node_tags": null`.
 */

const names = { type: ['array', 'null'], items: { type: 'string' } } as const;
const labels = { type: ['object', 'null'], additionalProperties: { type: 'string' } } as const;
const combination = { enum: ['union', 'intersection'] } as const;

/** JSON schema of one filter of a {@link NodeFilterSet}. */
export const NODE_FILTER_SCHEMA = {
  type: 'object',
  required: ['filter_type'],
  properties: { filter_type: combination, node_names: names, node_tags: names, node_labels: labels, rack_names: names, rack_labels: labels },
  additionalProperties: false,
} as const;

/** JSON schema of Drydock's `node_filter` (null is handled before it: it selects every node). */
export const NODE_FILTER_SET_SCHEMA = {
  type: 'object',
  required: ['filter_set_type', 'filter_set'],
  properties: { filter_set_type: combination, filter_set: { type: 'array', minItems: 1, items: NODE_FILTER_SCHEMA } },
  additionalProperties: false,
} as const;

const validateSchema = new Ajv({ allErrors: true, allowUnionTypes: true }).compile<NodeFilterSet>(NODE_FILTER_SET_SCHEMA);

/** A checked `node_filter`: null selects every node. */
export type NodeFilterCheck = { readonly ok: true; readonly filter: NodeFilterSet | null } | { readonly ok: false; readonly problems: readonly string[] };

/** Checks a `node_filter` as a client sent it; problems name the field (`node_filter.filter_set[0].filter_type …`). */
export function checkNodeFilterSet(value: unknown, field = 'node_filter'): NodeFilterCheck {
  if (value === null || value === undefined) return { ok: true, filter: null };
  if (validateSchema(value)) return { ok: true, filter: withoutNullCriteria(value) };
  return { ok: false, problems: schemaProblems(validateSchema.errors ?? [], field).map(({ field, problem }) => `${field} ${problem}`) };
}

/** A filter set checked by {@link NODE_FILTER_SET_SCHEMA} without its null criteria (they mean "absent"). */
export function withoutNullCriteria(filter: NodeFilterSet): NodeFilterSet {
  const clean = (one: NodeFilter): NodeFilter => Object.fromEntries(Object.entries(one).filter(([, value]) => value !== null)) as NodeFilter;
  return { filter_set_type: filter.filter_set_type, filter_set: filter.filter_set.map(clean) };
}

function hasAllPairs(have: Readonly<Record<string, string>>, want: Readonly<Record<string, string>>): boolean {
  return Object.entries(want).every(([key, value]) => Object.hasOwn(have, key) && have[key] === value);
}

/** The node predicates of a filter's criteria that are present and not empty. */
function criteria(filter: NodeFilter): ((node: FilterableNode) => boolean)[] {
  const tests: ((node: FilterableNode) => boolean)[] = [];
  const { node_names, node_tags, node_labels, rack_names, rack_labels } = filter;
  if (node_names != null && node_names.length > 0) tests.push((node) => node_names.includes(node.name));
  if (node_tags != null && node_tags.length > 0) tests.push((node) => node_tags.every((tag) => node.tags.includes(tag)));
  if (node_labels != null && Object.keys(node_labels).length > 0) tests.push((node) => hasAllPairs(node.labels, node_labels));
  if (rack_names != null && rack_names.length > 0) tests.push((node) => node.rack !== null && rack_names.includes(node.rack));
  if (rack_labels != null && Object.keys(rack_labels).length > 0) tests.push((node) => node.rack !== null && hasAllPairs(node.rackLabels, rack_labels));
  return tests;
}

/** Whether one filter selects `node`. */
export function filterSelects(filter: NodeFilter, node: FilterableNode): boolean {
  const tests = criteria(filter);
  if (tests.length === 0) return true;
  return filter.filter_type === 'intersection' ? tests.every((test) => test(node)) : tests.some((test) => test(node));
}

/** Whether a node filter selects `node`; null selects every node. */
export function filterSetSelects(filterSet: NodeFilterSet | null, node: FilterableNode): boolean {
  if (filterSet === null) return true;
  const { filter_set_type, filter_set } = filterSet;
  return filter_set_type === 'intersection' ? filter_set.every((filter) => filterSelects(filter, node)) : filter_set.some((filter) => filterSelects(filter, node));
}

/** The names of the nodes a node filter selects, sorted; null (or absent) selects every node. */
export function selectNodes(filterSet: NodeFilterSet | null | undefined, nodes: readonly FilterableNode[]): string[] {
  return nodes
    .filter((node) => filterSetSelects(filterSet ?? null, node))
    .map((node) => node.name)
    .sort();
}

/** Every node name a filter set mentions, for the check that each names a known node. */
export function namedNodes(filterSet: NodeFilterSet | null): string[] {
  return filterSet === null ? [] : filterSet.filter_set.flatMap((filter) => filter.node_names ?? []);
}
