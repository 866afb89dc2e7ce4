import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InventoryFileError, parseInventoryFile } from '../../../src/domain/inventory/inventory-file.js';

const defaults = { imagingServer: 'lab1.example.com:8010' };

const device = (name: string, extra: object = {}) => ({
  name,
  fqdn: `${name}.example.com`,
  inventoryId: 1,
  macAddress: `00:1a:2b:3c:4d:${name.slice(-2)}`,
  relayInfo: 'pdu1/1',
  hardwareType: 'panda',
  ...extra,
});

function fileWith(devices: readonly object[], racks?: object): object {
  return { hardwareTypes: [{ name: 'panda' }], ...(racks === undefined ? {} : { racks }), devices };
}

function problemsOf(json: unknown): readonly string[] {
  try {
    parseInventoryFile(json, defaults);
  } catch (error) {
    assert.ok(error instanceof InventoryFileError, String(error));
    return error.problems;
  }
  return assert.fail('expected the file to be refused');
}

describe('inventory file: tags, labels and racks', () => {
  it('reads tags, labels and the rack, and copies the rack’s labels onto each of its devices', () => {
    const racks = { 'rack-1': { labels: { room: 'lab-1', row: 'a' } }, 'rack-2': {} };
    const file = parseInventoryFile(
      fileWith(
        [
          device('node-01', { tags: ['compute', 'high_memory'], labels: { role: 'compute', 'topology.example.com/zone': 'z1' }, rack: 'rack-1' }),
          device('node-02', { rack: 'rack-2' }),
          device('node-03'),
        ],
        racks,
      ),
      defaults,
    );
    assert.deepEqual(file.racks, { 'rack-1': { labels: { room: 'lab-1', row: 'a' } }, 'rack-2': { labels: {} } });
    const selectors = file.devices.map(({ name, tags, labels, rack, rackLabels }) => ({ name, tags, labels, rack, rackLabels }));
    assert.deepEqual(selectors, [
      { name: 'node-01', tags: ['compute', 'high_memory'], labels: { role: 'compute', 'topology.example.com/zone': 'z1' }, rack: 'rack-1', rackLabels: { room: 'lab-1', row: 'a' } },
      { name: 'node-02', tags: [], labels: {}, rack: 'rack-2', rackLabels: {} },
      { name: 'node-03', tags: [], labels: {}, rack: null, rackLabels: {} },
    ]);
  });

  it('refuses a device in a rack the file does not define', () => {
    assert.deepEqual(problemsOf(fileWith([device('node-01', { rack: 'rack-9' })], { 'rack-1': {} })), ['devices[0].rack "rack-9" is not a defined rack (racks.rack-9)']);
    assert.deepEqual(problemsOf(fileWith([device('node-01', { rack: 'rack-1' })])), ['devices[0].rack "rack-1" is not a defined rack (racks.rack-1)']);
  });

  it('names each bad tag, label and rack field', () => {
    const problems = problemsOf(
      fileWith([device('node-01', { tags: ['ok', 'has space', 'ok'], labels: { 'bad key': 'v', good: 7 }, rack: 'bad rack' }), device('node-02', { tags: 'compute', labels: ['a'] })], {
        'rack 1': {},
        'rack-2': { labels: { room: 1 }, colour: 'red' },
      }),
    );
    assert.deepEqual([...problems].sort(), [
      'devices[0].labels has a bad key "bad key"',
      'devices[0].labels.good must be a string',
      'devices[0].rack must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit',
      'devices[0].tags[1] must be 1-128 letters, digits, ".", "_", "/", ":" or "-", starting with a letter or digit',
      'devices[0].tags[2] repeats devices[0].tags[0]',
      'devices[1].labels must be an object',
      'devices[1].tags must be an array',
      'racks has a bad key "rack 1"',
      'racks.rack-2.colour is not a known field',
      'racks.rack-2.labels.room must be a string',
    ]);
  });

  it('refuses racks that are not an object of racks', () => {
    assert.deepEqual(problemsOf(fileWith([device('node-01')], [])), ['racks must be an object']);
  });
});
