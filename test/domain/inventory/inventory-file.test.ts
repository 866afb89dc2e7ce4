import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { hardwareTypeDecider } from '../../../src/domain/inventory/hardware-type-decider.js';
import { imageDecider } from '../../../src/domain/inventory/image-decider.js';
import { InventoryFileError, parseInventoryFile } from '../../../src/domain/inventory/inventory-file.js';
import { pxeConfigDecider } from '../../../src/domain/inventory/pxe-config-decider.js';

const defaults = { imagingServer: 'lab1.example.com:8010' };

/** A minimal valid file; tests break one field of it at a time. */
function goodFile() {
  return {
    hardwareTypes: [{ name: 'panda' }],
    images: [{ name: 'android', pxeConfigs: { panda: 'panda-android' } }],
    pxeConfigs: [{ name: 'panda-android', contents: 'DEFAULT linux\n' }],
    devices: [{ name: 'panda-0001', fqdn: 'panda-0001.example.com', inventoryId: 1, macAddress: '00:1A:2b:3c:4d:5e', relayInfo: 'pdu1/1', hardwareType: 'panda' }],
  };
}

/** The problems parseInventoryFile reports for `json`. */
function problemsOf(json: unknown): readonly string[] {
  try {
    parseInventoryFile(json, defaults);
  } catch (error) {
    assert.ok(error instanceof InventoryFileError, String(error));
    assert.match(error.message, /^invalid inventory file:\n {2}/);
    return error.problems;
  }
  return assert.fail('expected the file to be refused');
}

describe('inventory file', () => {
  it('fills in defaults and normalises MAC addresses', () => {
    assert.deepEqual(parseInventoryFile(goodFile(), defaults), {
      hardwareTypes: [{ name: 'panda', description: '' }],
      images: [{ name: 'android', bootConfigKeys: [], canReuse: false, hidden: false, hasSutAgent: false, verify: { tcpPort: 22 }, pxeConfigs: { panda: 'panda-android' } }],
      pxeConfigs: [{ name: 'panda-android', version: 1, description: '', contents: 'DEFAULT linux\n', active: true }],
      racks: {},
      devices: [
        {
          name: 'panda-0001',
          fqdn: 'panda-0001.example.com',
          inventoryId: 1,
          macAddress: '00:1a:2b:3c:4d:5e',
          imagingServer: 'lab1.example.com:8010',
          relayInfo: 'pdu1/1',
          hardwareType: 'panda',
          environment: 'any',
          tags: [],
          labels: {},
          rack: null,
          rackLabels: {},
        },
      ],
    });
  });

  it('checks SUT agent images on the agent port by default, and keeps given values', () => {
    const file = goodFile();
    const parsed = parseInventoryFile(
      {
        ...file,
        images: [
          { name: 'a', hasSutAgent: true },
          { name: 'b', hasSutAgent: true, verify: { tcpPort: 2222 } },
        ],
      },
      defaults,
    );
    assert.deepEqual(
      parsed.images.map((image) => image.verify.tcpPort),
      [20701, 2222],
    );
    const device = { ...file.devices[0], imagingServer: 'lab2:8010', environment: 'prod' };
    assert.deepEqual(parseInventoryFile({ ...file, devices: [device] }, defaults).devices[0]?.environment, 'prod');
    assert.deepEqual(parseInventoryFile({ ...file, devices: [device] }, defaults).devices[0]?.imagingServer, 'lab2:8010');
  });

  it('needs only a device list', () => {
    assert.deepEqual(parseInventoryFile({ devices: [] }, defaults), { hardwareTypes: [], images: [], pxeConfigs: [], racks: {}, devices: [] });
    assert.deepEqual(problemsOf({}), ['devices is required']);
    assert.deepEqual(problemsOf([]), ['the inventory must be an object']);
  });

  it('names every bad field of a device at once', () => {
    const device = { name: '-bad', fqdn: 'not a host', inventoryId: 1.5, macAddress: '00-1a-2b-3c-4d-5e', relayInfo: '', imagingServer: 'nohostport', environment: 'in space', colour: 'red' };
    assert.deepEqual(problemsOf({ ...goodFile(), devices: [device] }), [
      'devices[0].hardwareType is required',
      'devices[0].colour is not a known field',
      'devices[0].name must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit',
      'devices[0].fqdn must be a valid host name',
      'devices[0].inventoryId must be an integer',
      'devices[0].macAddress must look like aa:bb:cc:dd:ee:ff',
      'devices[0].imagingServer must be a server id host:port',
      'devices[0].relayInfo must be non-empty without spaces',
      'devices[0].environment must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit',
    ]);
  });

  it('names every bad field of an image', () => {
    const image = { name: '', bootConfigKeys: ['duration', '1x', 'k', 'k'], canReuse: 'yes', verify: { tcpPort: 0 }, pxeConfigs: { 'bad key': 'x', panda: 'bad value' } };
    assert.deepEqual(problemsOf({ ...goodFile(), images: [image] }), [
      'images[0].name must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit',
      'images[0].bootConfigKeys[0] must not be a request field (assignee, requester, duration, image, environment)',
      'images[0].bootConfigKeys[1] must be an identifier (letters, digits, "_"; not starting with a digit)',
      'images[0].bootConfigKeys[3] repeats images[0].bootConfigKeys[2]',
      'images[0].canReuse must be a boolean',
      'images[0].verify.tcpPort must be >= 1',
      'images[0].pxeConfigs has a bad key "bad key"',
      'images[0].pxeConfigs.panda must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit',
    ]);
  });

  it('names every bad field of a PXE config and a hardware type', () => {
    assert.deepEqual(problemsOf({ ...goodFile(), hardwareTypes: [{ name: 'panda', description: 3 }], pxeConfigs: [{ name: 'panda-android', version: 0, contents: ' \n', active: 1 }] }), [
      'hardwareTypes[0].description must be a string',
      'pxeConfigs[0].version must be >= 1',
      'pxeConfigs[0].contents must not be blank',
      'pxeConfigs[0].active must be a boolean',
    ]);
  });

  it('refuses duplicate names and MAC addresses, whatever their case', () => {
    const file = goodFile();
    const [device] = file.devices;
    const copy = { ...device, name: 'panda-0002', macAddress: '00:1A:2B:3C:4D:5E' };
    assert.deepEqual(
      problemsOf({
        ...file,
        hardwareTypes: [...file.hardwareTypes, { name: 'panda' }],
        images: [...file.images, { name: 'android' }],
        pxeConfigs: [...file.pxeConfigs, ...file.pxeConfigs],
        devices: [device, copy, device],
      }),
      [
        'hardwareTypes[1].name "panda" repeats hardwareTypes[0].name',
        'images[1].name "android" repeats images[0].name',
        'pxeConfigs[1].name "panda-android" repeats pxeConfigs[0].name',
        'devices[2].name "panda-0001" repeats devices[0].name',
        'devices[1].macAddress "00:1a:2b:3c:4d:5e" repeats devices[0].macAddress',
        'devices[2].macAddress "00:1a:2b:3c:4d:5e" repeats devices[0].macAddress',
      ],
    );
  });

  it('refuses references to hardware types and PXE configs never defined', () => {
    const file = goodFile();
    const devices = [{ ...file.devices[0], hardwareType: 'toaster' }];
    assert.deepEqual(problemsOf({ ...file, images: [{ name: 'android', pxeConfigs: { nuc: 'panda-android', panda: 'missing' } }], devices }), [
      'images[0].pxeConfigs key "nuc" is not a defined hardware type',
      'images[0].pxeConfigs.panda "missing" is not a defined PXE config',
      'devices[0].hardwareType "toaster" is not a defined hardware type',
    ]);
  });

  it('checks the relay_info of the devices of the server loading the file, with the check it is given', () => {
    const file = goodFile();
    const [device] = file.devices;
    const checkRelayInfo = (relayInfo: string) => (relayInfo.endsWith('?model=apc') ? "unknown PDU model 'apc'" : undefined);
    const devices = [
      { ...device, relayInfo: 'snmp://private@pdu2:161/7?model=apc' },
      { ...device, name: 'panda-0002', macAddress: '00:1a:2b:3c:4d:02', relayInfo: 'pdu2/8' },
      // Another server's PDU models are that server's config: not checked here.
      { ...device, name: 'panda-0003', macAddress: '00:1a:2b:3c:4d:03', relayInfo: 'pdu3/1?model=apc', imagingServer: 'lab2.example.com:8010' },
    ];
    const refused = () => parseInventoryFile({ ...file, devices }, { ...defaults, checkRelayInfo });
    assert.throws(refused, (error: unknown) => {
      assert.ok(error instanceof InventoryFileError);
      assert.deepEqual(error.problems, ['devices[0].relayInfo "snmp://private@pdu2:161/7?model=apc": unknown PDU model \'apc\'']);
      return true;
    });
    assert.equal(parseInventoryFile({ ...file, devices: devices.slice(1) }, { ...defaults, checkRelayInfo }).devices.length, 2);
  });

  it('parses the example inventory, whose definitions the deciders accept', () => {
    const json: unknown = JSON.parse(readFileSync(new URL('../../../config/inventory.example.json', import.meta.url), 'utf8'));
    const file = parseInventoryFile(json, defaults);
    assert.deepEqual(
      file.hardwareTypes.map((type) => type.name),
      ['panda', 'server'],
    );
    assert.deepEqual(
      file.images.filter((image) => image.hidden).map((image) => image.name),
      ['self-test', 'maintenance'],
    );
    assert.equal(file.devices.length, 4);
    assert.ok(file.pxeConfigs.every((config) => config.contents.includes('%IPADDRESS%')));
    const define = <D>(definition: D) => ({ type: 'Define', definition, atMs: 0 }) as const;
    for (const image of file.images) assert.equal(imageDecider.decide(define(image), imageDecider.initialState).ok, true, image.name);
    for (const config of file.pxeConfigs) assert.equal(pxeConfigDecider.decide(define(config), pxeConfigDecider.initialState).ok, true, config.name);
    for (const type of file.hardwareTypes) assert.equal(hardwareTypeDecider.decide(define(type), hardwareTypeDecider.initialState).ok, true, type.name);
  });
});
