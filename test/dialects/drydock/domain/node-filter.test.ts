import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FilterableNode, NodeFilter, NodeFilterSet } from '../../../../src/dialects/drydock/domain/design.js';
import { checkNodeFilterSet, selectNodes } from '../../../../src/dialects/drydock/domain/node-filter.js';

const node = (name: string, rack: string | null, tags: string[], labels: Record<string, string> = {}, rackLabels: Record<string, string> = {}): FilterableNode => ({
  name,
  rack,
  tags,
  labels,
  rackLabels,
});

// Drydock's task document's example (a, b, c by type and colour), plus racks and tags.
const NODES: readonly FilterableNode[] = [
  node('c', 'rack-2', ['gpu'], { type: 'physical', color: 'yellow' }, { row: 'b' }),
  node('a', 'rack-1', ['gpu', 'ssd'], { type: 'physical', color: 'blue' }, { row: 'a' }),
  node('b', 'rack-1', ['ssd'], { type: 'virtual', color: 'yellow' }, { row: 'a' }),
  node('d', null, [], {}),
];

const one = (filter_type: NodeFilter['filter_type'], criteria: Omit<NodeFilter, 'filter_type'>): NodeFilterSet => ({ filter_set_type: 'union', filter_set: [{ filter_type, ...criteria }] });

describe('selectNodes', () => {
  it('selects every node, sorted, for a null or absent filter', () => {
    assert.deepEqual(selectNodes(null, NODES), ['a', 'b', 'c', 'd']);
    assert.deepEqual(selectNodes(undefined, NODES), ['a', 'b', 'c', 'd']);
  });

  it('reproduces the example of Drydock’s task document', () => {
    const filter: NodeFilterSet = {
      filter_set_type: 'union',
      filter_set: [
        { filter_type: 'intersection', node_labels: { color: 'yellow', type: 'physical' } },
        { filter_type: 'intersection', node_names: ['a'] },
      ],
    };
    assert.deepEqual(selectNodes(filter, NODES), ['a', 'c']);
  });

  const table: [string, NodeFilterSet, string[]][] = [
    ['names', one('union', { node_names: ['b', 'a'] }), ['a', 'b']],
    ['unknown names select nothing', one('union', { node_names: ['zz'] }), []],
    ['tags: every listed tag', one('union', { node_tags: ['gpu', 'ssd'] }), ['a']],
    ['one tag', one('union', { node_tags: ['ssd'] }), ['a', 'b']],
    ['labels: every pair', one('union', { node_labels: { type: 'physical', color: 'yellow' } }), ['c']],
    ['racks', one('union', { rack_names: ['rack-1'] }), ['a', 'b']],
    ['rack labels', one('union', { rack_labels: { row: 'b' } }), ['c']],
    ['union of criteria', one('union', { node_names: ['d'], rack_names: ['rack-2'] }), ['c', 'd']],
    ['intersection of criteria', one('intersection', { node_tags: ['ssd'], rack_names: ['rack-1'], node_labels: { color: 'yellow' } }), ['b']],
    ['intersection with an unknown name', one('intersection', { node_names: ['zz'], rack_names: ['rack-1'] }), []],
    ['no criteria: every node (union)', one('union', {}), ['a', 'b', 'c', 'd']],
    ['no criteria: every node (intersection)', one('intersection', {}), ['a', 'b', 'c', 'd']],
    ['empty criteria are ignored', one('intersection', { node_names: [], node_tags: [], node_labels: {}, rack_names: ['rack-2'], rack_labels: {} }), ['c']],
  ];
  for (const [name, filter, expected] of table) {
    it(name, () => assert.deepEqual(selectNodes(filter, NODES), expected));
  }

  it('combines filters by filter_set_type', () => {
    const filters = [
      { filter_type: 'union', rack_names: ['rack-1'] },
      { filter_type: 'union', node_tags: ['gpu'] },
    ] as const;
    assert.deepEqual(selectNodes({ filter_set_type: 'union', filter_set: filters }, NODES), ['a', 'b', 'c']);
    assert.deepEqual(selectNodes({ filter_set_type: 'intersection', filter_set: filters }, NODES), ['a']);
  });

  it('never matches a rack criterion on a node without a rack', () => {
    assert.deepEqual(selectNodes(one('union', { rack_labels: {}, rack_names: ['null'] }), [node('x', null, [])]), []);
  });
});

describe('checkNodeFilterSet', () => {
  it('takes null and absent as every node', () => {
    assert.deepEqual(checkNodeFilterSet(null), { ok: true, filter: null });
    assert.deepEqual(checkNodeFilterSet(undefined), { ok: true, filter: null });
  });

  it('accepts the null criteria Drydock’s CLI sends, as absent', () => {
    const sent = { filter_set_type: 'intersection', filter_set: [{ filter_type: 'union', node_names: ['a'], node_tags: null }] };
    assert.deepEqual(checkNodeFilterSet(sent), { ok: true, filter: { filter_set_type: 'intersection', filter_set: [{ filter_type: 'union', node_names: ['a'] }] } });
  });

  it('names each bad field', () => {
    const result = checkNodeFilterSet({ filter_set_type: 'all', filter_set: [{ node_names: 'a', node_labels: { x: 1 }, colour: 'red' }] });
    assert.equal(result.ok, false);
    assert.deepEqual(!result.ok && [...result.problems].sort(), [
      'node_filter.filter_set[0].colour is not a known field',
      'node_filter.filter_set[0].filter_type is required',
      'node_filter.filter_set[0].node_labels.x must be a string',
      'node_filter.filter_set[0].node_names must be an array or null',
      'node_filter.filter_set_type must be one of "union", "intersection"',
    ]);
  });

  it('refuses a filter that is not an object, and an empty filter_set', () => {
    assert.deepEqual(checkNodeFilterSet('all'), { ok: false, problems: ['node_filter must be an object'] });
    assert.deepEqual(checkNodeFilterSet({ filter_set_type: 'union', filter_set: [] }), { ok: false, problems: ['node_filter.filter_set must not be empty'] });
  });
});
