import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createDesignLoader, MAX_DESIGN_FILE_BYTES } from '../../../../src/dialects/drydock/design/design-loader.js';
import type { DesignResult } from '../../../../src/dialects/drydock/design/design-messages.js';
import type { FilterableNode } from '../../../../src/dialects/drydock/domain/design.js';
import { selectNodes } from '../../../../src/dialects/drydock/domain/node-filter.js';
import { simLabInventory } from '../../../../src/sim/sim-lab.js';

const root = mkdtempSync(join(tmpdir(), 'labpool-designs-'));
const folder = join(root, 'designs');
mkdirSync(join(folder, 'sub'), { recursive: true });
writeFileSync(join(root, 'outside.yaml'), 'schema: labpool/Design/v1\n');
after(() => rmSync(root, { recursive: true, force: true }));

const NODES: readonly FilterableNode[] = [{ name: 'n1', tags: [], labels: {}, rack: null, rackLabels: {} }];
const loaderOf = (designFolder: string, nodes = NODES, images = ['ubuntu']) => createDesignLoader({ designFolder, nodes: () => nodes, knownImages: () => new Set(images) });
const loader = loaderOf(folder);

function refusal(result: DesignResult): string {
  assert.equal(result.ok, false, JSON.stringify(result));
  const error = result.messages.find((message) => message.error);
  assert.ok(error !== undefined);
  return error.message;
}

describe('createDesignLoader', () => {
  it('loads labpool:inventory: every device keeps its image, no bootactions', async () => {
    const result = await loader.load('labpool:inventory');
    assert.ok(result.ok);
    assert.deepEqual(result.design, { ref: 'labpool:inventory', defaultImage: null, nodeImages: [], bootactions: [] });
    assert.match(result.messages[0]!.message, /the lab's 1 devices/);
  });

  it('loads YAML and JSON files, in sub-folders and through links that stay inside', async () => {
    writeFileSync(join(folder, 'sub', 'a.yml'), 'schema: labpool/Design/v1\ndefault_image: ubuntu\n');
    writeFileSync(join(folder, 'b.json'), '{"schema": "labpool/Design/v1"}');
    symlinkSync(join(folder, 'b.json'), join(folder, 'link.json'));
    for (const [ref, image] of [
      ['file://sub/a.yml', 'ubuntu'],
      ['file://b.json', null],
      ['file://link.json', null],
    ] as const) {
      const result = await loader.load(ref);
      assert.ok(result.ok, ref);
      assert.deepEqual([result.design.ref, result.design.defaultImage], [ref, image]);
    }
  });

  const refused: [string, RegExp][] = [
    ['file://../outside.yaml', /^Design reference: file:\/\/\.\.\/outside\.yaml climbs out with "\.\."$/],
    ['file://sub/../../outside.yaml', /climbs out with "\.\."/],
    ['file:///etc/passwd', /is an absolute path/],
    ['file://', /names no file/],
    ['file://missing.yaml', /^Design reference: there is no design file "missing\.yaml" in the design folder$/],
    ['file://sub', /"sub" is not a file/],
    ['http://example.com/design.yaml', /^Design reference: labpool fetches no remote designs: "http:" references are refused/],
    ['https://example.com/design.yaml', /labpool fetches no remote designs: "https:"/],
    ['deckhand+http://deckhand/api/v1.0/revisions/1/rendered-documents', /labpool fetches no remote designs: "deckhand\+http:"/],
    ['sim-lab.yaml', /is no design reference: use labpool:inventory or file:\/\/<name>/],
  ];
  for (const [ref, pattern] of refused) {
    it(`refuses ${ref}`, async () => assert.match(refusal(await loader.load(ref)), pattern));
  }

  it('refuses a link that leads out of the folder', async () => {
    symlinkSync(join(root, 'outside.yaml'), join(folder, 'escape.yaml'));
    symlinkSync(root, join(folder, 'up'));
    assert.match(refusal(await loader.load('file://escape.yaml')), /"escape\.yaml" resolves outside the design folder/);
    assert.match(refusal(await loader.load('file://up/outside.yaml')), /resolves outside the design folder/);
  });

  it('refuses a file over 1 MiB unread, and takes one of exactly 1 MiB', async () => {
    const header = 'schema: labpool/Design/v1\n';
    writeFileSync(join(folder, 'big.yaml'), header + '#'.repeat(MAX_DESIGN_FILE_BYTES - header.length - 1) + '\n');
    assert.ok((await loader.load('file://big.yaml')).ok);
    writeFileSync(join(folder, 'big.yaml'), header + '#'.repeat(MAX_DESIGN_FILE_BYTES - header.length) + '\n');
    assert.match(refusal(await loader.load('file://big.yaml')), /"big\.yaml" is 1048577 bytes, more than the 1048576 bytes a design may have/);
  });

  it('reports bad YAML and bad JSON with their line', async () => {
    writeFileSync(join(folder, 'bad.yaml'), 'schema: labpool/Design/v1\nbootactions:\n  - name: [a\n');
    writeFileSync(join(folder, 'twice.yaml'), 'schema: labpool/Design/v1\nschema: labpool/Design/v1\n');
    writeFileSync(join(folder, 'bad.json'), '{\n  "schema": "labpool/Design/v1",\n}\n');
    const bad = await loader.load('file://bad.yaml');
    assert.match(refusal(bad), /^Design syntax: the file is not valid YAML: /);
    assert.match(bad.messages[0]!.diagnostic, /^bad\.yaml, line 4, column 1: fix the YAML syntax$/);
    const twice = await loader.load('file://twice.yaml');
    assert.match(refusal(twice), /Map keys must be unique/);
    assert.match(twice.messages[0]!.diagnostic, /^twice\.yaml, line 2, column 1/);
    const json = await loader.load('file://bad.json');
    assert.match(refusal(json), /^Design syntax: the file is not valid JSON: /);
    assert.match(json.messages[0]!.diagnostic, /^bad\.json, line 3, column 1/);
  });

  it('reads the file at each load: an edit of the same size counts, an unchanged file loads the same design', async () => {
    const path = join(folder, 'edited.yaml');
    writeFileSync(path, 'schema: labpool/Design/v1\ndefault_image: ubuntu\n');
    const first = await loader.load('file://edited.yaml');
    assert.ok(first.ok);
    assert.deepEqual(await loader.load('file://edited.yaml'), first);
    writeFileSync(path, 'schema: labpool/Design/v1\ndefault_image: debian\n');
    assert.match(refusal(await loader.load('file://edited.yaml')), /debian/);
    writeFileSync(path, 'schema: labpool/Design/v1\ndefault_image: ubuntu\n');
    assert.deepEqual(await loader.load('file://edited.yaml'), first);
  });

  it('checks an unchanged file against the lab as it is at each load', async () => {
    writeFileSync(join(folder, 'lab.yaml'), 'schema: labpool/Design/v1\ndefault_image: android\n');
    const images = new Set(['ubuntu']);
    const labLoader = createDesignLoader({ designFolder: folder, nodes: () => NODES, knownImages: () => images });
    assert.match(refusal(await labLoader.load('file://lab.yaml')), /android/);
    images.add('android');
    const later = await labLoader.load('file://lab.yaml');
    assert.ok(later.ok, JSON.stringify(later.messages));
    assert.equal(later.design.defaultImage, 'android');
  });

  it('refuses a file that is not UTF-8, and a missing design folder', async () => {
    writeFileSync(join(folder, 'latin1.yaml'), Buffer.from([0x73, 0x3a, 0x20, 0xe9, 0x0a]));
    assert.match(refusal(await loader.load('file://latin1.yaml')), /is not UTF-8 text/);
    assert.match(refusal(await loaderOf(join(root, 'nowhere')).load('file://a.yaml')), /the design folder does not exist/);
  });

  it('loads the simulated lab’s design against the simulated lab', async () => {
    const inventory = simLabInventory({
      serverId: '127.0.0.1:8080',
      tftp: { host: '127.0.0.1', port: 6969 },
      pdus: [{ name: 'p', model: 'apc', port: 16161, outlets: 8, relayForm: 'short' }],
      devices: 4,
      stepDelayMs: 0,
    });
    const nodes = inventory.devices.map((device, i): FilterableNode => ({ name: device.name, tags: [], labels: {}, rack: `rack-${(i % 2) + 1}`, rackLabels: {} }));
    const result = await loaderOf(
      'config/designs',
      nodes,
      inventory.images.map((image) => image.name),
    ).load('file://sim-lab.yaml');
    assert.ok(result.ok, JSON.stringify(result.messages));
    assert.deepEqual(
      result.messages.filter((message) => message.level !== 'Info'),
      [],
    );
    const { design } = result;
    assert.equal(design.defaultImage, 'ubuntu');
    assert.deepEqual(
      design.nodeImages.map((entry) => [entry.image, selectNodes(entry.filter, nodes)]),
      [['android', [nodes[1]!.name, nodes[3]!.name].sort()]],
    );
    assert.deepEqual(
      design.bootactions.map((action) => [action.name, action.signaling, action.target, action.assets.map((asset) => [asset.path, asset.type, asset.permissions.toString(8), asset.template])]),
      [
        [
          'sim-hello',
          true,
          null,
          [
            ['/etc/systemd/system/labpool-hello.service', 'unit', '644', true],
            ['/etc/labpool/hello.json', 'file', '600', true],
          ],
        ],
        ['operator-check', true, null, [['/etc/labpool/operator-check.txt', 'file', '644', true]]],
      ],
    );
    const hello = design.bootactions[0]!.assets[1]!.data;
    for (const name of ['node.hostname', 'action.action_id', 'action.action_key', 'action.report_url']) assert.ok(hello.includes(`{{ ${name} }}`), name);
  });
});
