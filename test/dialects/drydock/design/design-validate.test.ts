import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { parseDesignText } from '../../../../src/dialects/drydock/design/design-parse.js';
import { validateDesign } from '../../../../src/dialects/drydock/design/design-validate.js';
import type { DesignMessage, DesignResult } from '../../../../src/dialects/drydock/design/design-messages.js';
import type { FilterableNode } from '../../../../src/dialects/drydock/domain/design.js';

const NODES: readonly FilterableNode[] = ['n1', 'n2', 'n3'].map((name, i) => ({ name, tags: [], labels: {}, rack: `rack-${i + 1}`, rackLabels: {} }));
const document = { schema: 'labpool/Design/v1', name: 'test.yaml' };

function validate(value: unknown): DesignResult {
  const text = stringify(value);
  const parsed = parseDesignText(text, 'yaml', document);
  assert.ok(parsed.ok);
  return validateDesign(parsed.value, { ref: 'file://test.yaml', document, locate: parsed.locate, nodes: NODES, knownImages: new Set(['ubuntu', 'android']) });
}

const errors = (result: DesignResult) => result.messages.filter((message) => message.error);
const only = (result: DesignResult): DesignMessage => {
  assert.equal(result.ok, false);
  const found = errors(result);
  assert.equal(found.length, 1, JSON.stringify(found));
  return found[0]!;
};

const asset = (path: string, extra: Record<string, unknown> = { data: 'x' }) => ({ path, type: 'file', ...extra });
const rackFilter = (rack: string) => ({ filter_set_type: 'union', filter_set: [{ filter_type: 'union', rack_names: [rack] }] });
const base = { schema: 'labpool/Design/v1', default_image: 'ubuntu' };

describe('validateDesign', () => {
  it('maps a valid document onto a Design, with defaults', () => {
    const result = validate({
      ...base,
      node_images: [{ node_filter: rackFilter('rack-2'), image: 'android' }],
      bootactions: [{ name: 'a', assets: [asset('/etc/a'), asset('/etc/b', { template: '{{ node.hostname }}', permissions: '0755', type: 'unit' })] }],
    });
    assert.ok(result.ok, JSON.stringify(result.messages));
    assert.deepEqual(result.design, {
      ref: 'file://test.yaml',
      defaultImage: 'ubuntu',
      nodeImages: [{ filter: rackFilter('rack-2'), image: 'android' }],
      bootactions: [
        {
          name: 'a',
          target: null,
          signaling: true,
          assets: [
            { path: '/etc/a', type: 'file', permissions: 0o600, data: 'x', template: false },
            { path: '/etc/b', type: 'unit', permissions: 0o755, data: '{{ node.hostname }}', template: true },
          ],
        },
      ],
    });
    assert.ok(result.messages.every((message) => message.level === 'Info' && message.message.endsWith('Validation successful.')));
  });

  it('keeps each node’s image without a default', () => {
    const result = validate({ schema: 'labpool/Design/v1' });
    assert.ok(result.ok);
    assert.equal(result.design.defaultImage, null);
  });

  it('reports schema errors by field and YAML line, in Drydock’s message shape', () => {
    const message = only(validate({ ...base, bootactions: [{ name: 'a', assets: [asset('/etc/a', { data: 'x', mode: '0644' })] }] }));
    assert.deepEqual(message, {
      message: 'Design schema: bootactions[0].assets[0].mode is not a known field',
      error: true,
      level: 'Error',
      name: 'DesignSchema',
      documents: [document],
      diagnostic: 'test.yaml, line 9, column 15, bootactions[0].assets[0].mode: see docs/drydock-designs.md for the design format',
    });
  });

  const schemaCases: [string, unknown, RegExp][] = [
    ['a wrong schema name', { schema: 'drydock/BootAction/v1' }, /^Design schema: schema must be "labpool\/Design\/v1"$/],
    ['a relative asset path', { ...base, bootactions: [{ name: 'a', assets: [asset('etc/a')] }] }, /assets\[0\]\.path must be an absolute path/],
    ['a path climbing with ..', { ...base, bootactions: [{ name: 'a', assets: [asset('/etc/../root/x')] }] }, /assets\[0\]\.path must be an absolute path without empty, "\." or "\.\." segments/],
    ['a bad type', { ...base, bootactions: [{ name: 'a', assets: [asset('/a', { type: 'pkg_list', data: 'x' })] }] }, /assets\[0\]\.type must be one of "unit", "file"/],
    ['bad permissions', { ...base, bootactions: [{ name: 'a', assets: [asset('/a', { permissions: '0999', data: 'x' })] }] }, /permissions must be an octal mode/],
    ['a bad bootaction name', { ...base, bootactions: [{ name: 'a b', assets: [asset('/a')] }] }, /bootactions\[0\]\.name must be 1 to 64 characters/],
    ['no assets', { ...base, bootactions: [{ name: 'a', assets: [] }] }, /bootactions\[0\]\.assets must not be empty/],
    ['a bad node filter', { ...base, node_images: [{ node_filter: { filter_set_type: 'union' }, image: 'android' }] }, /node_images\[0\]\.node_filter\.filter_set is required/],
  ];
  for (const [name, value, pattern] of schemaCases) {
    it(`refuses ${name}`, () => assert.match(only(validate(value)).message, pattern));
  }

  it('tells to quote permissions YAML read as a number', () => {
    const parsed = parseDesignText('schema: labpool/Design/v1\nbootactions:\n  - name: a\n    assets:\n      - {path: /a, type: file, data: x, permissions: 0644}\n', 'yaml', document);
    assert.ok(parsed.ok);
    const message = only(validateDesign(parsed.value, { ref: 'file://t', document, locate: parsed.locate, nodes: NODES, knownImages: new Set() }));
    assert.match(message.diagnostic, /^test\.yaml, line 5, column 54, .*quote the mode/);
  });

  it('needs exactly one of data and template', () => {
    const result = validate({ ...base, bootactions: [{ name: 'a', assets: [asset('/a', {}), asset('/b', { data: 'x', template: 'y' })] }] });
    assert.deepEqual(
      errors(result).map((message) => message.message),
      ['Asset content: bootactions[0].assets[0] has neither "data" and "template"', 'Asset content: bootactions[0].assets[1] has both "data" and "template"'],
    );
  });

  it('checks templates with the shared rule, not inline data', () => {
    const message = only(validate({ ...base, bootactions: [{ name: 'a', assets: [asset('/a', { template: 'x\n{{ node.ip }}' }), asset('/b', { data: '{{ anything }}' })] }] }));
    assert.equal(message.name, 'AssetTemplates');
    assert.match(message.message, /^Asset templates: bootactions\[0\]\.assets\[0\]\.template: unknown placeholder \{\{ node\.ip \}\} at line 2, column 1/);
  });

  it('refuses a repeated bootaction name', () => {
    const message = only(
      validate({
        ...base,
        bootactions: [
          { name: 'a', assets: [asset('/a')] },
          { name: 'a', assets: [asset('/b')] },
        ],
      }),
    );
    assert.equal(message.message, 'Bootaction names: bootactions[1].name "a" repeats bootactions[0].name');
  });

  it('refuses one path twice on a node, and allows it on nodes apart', () => {
    const twice = (first: unknown, second: unknown) =>
      validate({
        ...base,
        bootactions: [
          { name: 'a', node_filter: first, assets: [asset('/etc/x')] },
          { name: 'b', node_filter: second, assets: [asset('/etc/x', { type: 'unit', data: 'y' })] },
        ],
      });
    assert.match(only(twice(null, null)).message, /^Asset paths: bootactions\[1\]\.assets\[0\]\.path "\/etc\/x" is also bootactions\[0\]\.assets\[0\]\.path \(both reach every deployed node\)$/);
    assert.match(only(twice(null, rackFilter('rack-2'))).message, /\(both reach node n2\)$/);
    assert.match(only(twice(rackFilter('rack-1'), { filter_set_type: 'union', filter_set: [{ filter_type: 'union', node_names: ['n1', 'n3'] }] })).message, /\(both reach node n1\)$/);
    assert.ok(twice(rackFilter('rack-1'), rackFilter('rack-2')).ok);
    const same = validate({ ...base, bootactions: [{ name: 'a', node_filter: rackFilter('none'), assets: [asset('/x'), asset('/x')] }] });
    assert.match(only(same).message, /\(the same bootaction\)$/);
  });

  it('refuses images the lab does not know', () => {
    const result = validate({
      ...base,
      default_image: 'windows',
      node_images: [
        { node_filter: rackFilter('rack-1'), image: 'android' },
        { node_filter: rackFilter('rack-2'), image: 'bsd' },
      ],
    });
    assert.deepEqual(
      errors(result).map((message) => [message.message, message.diagnostic]),
      [
        ['Design images: default_image "windows" is not an image of this lab', "test.yaml, line 2, column 16, default_image: the lab's images: android, ubuntu"],
        ['Design images: node_images[1].image "bsd" is not an image of this lab', "test.yaml, line 17, column 12, node_images[1].image: the lab's images: android, ubuntu"],
      ],
    );
  });

  it('warns of node names that match no device, and stays valid', () => {
    const result = validate({
      ...base,
      bootactions: [{ name: 'a', node_filter: { filter_set_type: 'union', filter_set: [{ filter_type: 'union', node_names: ['n1', 'ghost'] }] }, assets: [asset('/a')] }],
    });
    assert.ok(result.ok);
    const warnings = result.messages.filter((message) => message.level === 'Warning');
    assert.deepEqual(
      warnings.map((message) => [message.name, message.error, message.message]),
      [['FilterNodeNames', false, 'Filter node names: bootactions[0].node_filter names "ghost", which is no device of this lab']],
    );
  });
});
