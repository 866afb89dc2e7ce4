import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hardwareTypeActor, hardwareTypeDecider } from '../../../src/domain/inventory/hardware-type-decider.js';
import { imageActor, imageDecider } from '../../../src/domain/inventory/image-decider.js';
import type { ImageDefinition, PxeConfigDefinition } from '../../../src/domain/inventory/inventory-events.js';
import { pxeConfigActor, pxeConfigDecider } from '../../../src/domain/inventory/pxe-config-decider.js';
import { givenDecider } from '../../support/given-when-then.js';

const T0 = Date.UTC(2024, 5, 1);
const T1 = T0 + 60_000;

const android: ImageDefinition = {
  name: 'android',
  bootConfigKeys: ['b2gbase'],
  canReuse: true,
  hidden: false,
  hasSutAgent: true,
  verify: { tcpPort: 20701 },
  pxeConfigs: { panda: 'panda-android', server: 'server-android' },
};
const androidDefined = { type: 'ImageDefined', data: { ...android, atMs: T0 } } as const;

describe('image decider', () => {
  it('defines a new image', () => {
    givenDecider(imageDecider)
      .when({ type: 'Define', definition: android, atMs: T0 })
      .thenEvents([androidDefined])
      .thenState((state) => assert.deepEqual(state.definition, android));
  });

  it('appends nothing for an unchanged definition, whatever its key order', () => {
    const reordered: ImageDefinition = { ...android, pxeConfigs: { server: 'server-android', panda: 'panda-android' } };
    givenDecider(imageDecider).given(androidDefined).when({ type: 'Define', definition: reordered, atMs: T1 }).thenNothing();
  });

  it('redefines a changed image', () => {
    const changed: ImageDefinition = { ...android, bootConfigKeys: ['b2gbase', 'extra'] };
    givenDecider(imageDecider)
      .given(androidDefined)
      .when({ type: 'Define', definition: changed, atMs: T1 })
      .thenEvents([{ type: 'ImageDefined', data: { ...changed, atMs: T1 } }])
      .when({ type: 'Define', definition: changed, atMs: T1 + 1 })
      .thenNothing();
  });

  it('treats a reordered key list as a change: the order is what the API lists', () => {
    givenDecider(imageDecider)
      .given({ type: 'ImageDefined', data: { ...android, bootConfigKeys: ['a', 'b'], atMs: T0 } })
      .when({ type: 'Define', definition: { ...android, bootConfigKeys: ['b', 'a'] }, atMs: T1 })
      .thenEventTypes('ImageDefined');
  });

  it('rejects invalid definitions, naming every bad field', () => {
    const invalid: ImageDefinition = { ...android, name: '', bootConfigKeys: ['duration', 'x', 'x', '9'], verify: { tcpPort: 70000 }, pxeConfigs: { 'bad key': 'ok', panda: '' } };
    const outcome = givenDecider(imageDecider).when({ type: 'Define', definition: invalid, atMs: T0 }).thenRejected('invalid_definition');
    const message = outcome.decision.ok ? '' : outcome.decision.rejection.message;
    for (const field of ['name', 'bootConfigKeys[0]', 'bootConfigKeys[2]', 'bootConfigKeys[3]', 'verify.tcpPort', 'pxeConfigs key "bad key"', 'pxeConfigs.panda']) {
      assert.ok(message.includes(field), `${field} in ${message}`);
    }
  });

  it('rejects a definition of another image than its stream', () => {
    givenDecider(imageDecider)
      .given(androidDefined)
      .when({ type: 'Define', definition: { ...android, name: 'ubuntu' }, atMs: T1 })
      .thenRejected('name_mismatch', /"android", not "ubuntu"/);
  });

  it('is the decider of the image actor', () => {
    assert.equal(imageActor.category, 'image');
    assert.equal(imageActor.decider, imageDecider);
  });
});

const pxeConfig: PxeConfigDefinition = { name: 'panda-android', version: 2, description: 'Android for pandas', contents: 'DEFAULT linux\n', active: true };

describe('PXE config decider', () => {
  it('defines, ignores a repeat, redefines a change', () => {
    givenDecider(pxeConfigDecider)
      .when({ type: 'Define', definition: pxeConfig, atMs: T0 })
      .thenEvents([{ type: 'PxeConfigDefined', data: { ...pxeConfig, atMs: T0 } }])
      .when({ type: 'Define', definition: { ...pxeConfig }, atMs: T1 })
      .thenNothing()
      .when({ type: 'Define', definition: { ...pxeConfig, active: false }, atMs: T1 })
      .thenEvents([{ type: 'PxeConfigDefined', data: { ...pxeConfig, active: false, atMs: T1 } }])
      .thenState((state) => state.definition?.active === false);
  });

  it('rejects an empty name, a bad version and blank contents', () => {
    givenDecider(pxeConfigDecider)
      .when({ type: 'Define', definition: { ...pxeConfig, name: '' }, atMs: T0 })
      .thenRejected('invalid_definition', /name must be/);
    givenDecider(pxeConfigDecider)
      .when({ type: 'Define', definition: { ...pxeConfig, version: 0 }, atMs: T0 })
      .thenRejected('invalid_definition', /version must be an integer >= 1/);
    givenDecider(pxeConfigDecider)
      .when({ type: 'Define', definition: { ...pxeConfig, contents: ' \n' }, atMs: T0 })
      .thenRejected('invalid_definition', /contents must not be empty/);
  });

  it('is the decider of the pxeconfig actor', () => {
    assert.equal(pxeConfigActor.category, 'pxeconfig');
    assert.equal(pxeConfigActor.decider, pxeConfigDecider);
  });
});

describe('hardware type decider', () => {
  const panda = { name: 'panda', description: 'PandaBoard ES' };

  it('defines, ignores a repeat, redefines a change', () => {
    givenDecider(hardwareTypeDecider)
      .given({ type: 'HardwareTypeDefined', data: { ...panda, atMs: T0 } })
      .when({ type: 'Define', definition: panda, atMs: T1 })
      .thenNothing()
      .when({ type: 'Define', definition: { ...panda, description: 'PandaBoard' }, atMs: T1 })
      .thenEvents([{ type: 'HardwareTypeDefined', data: { name: 'panda', description: 'PandaBoard', atMs: T1 } }]);
  });

  it('rejects an empty or URL-unsafe name', () => {
    givenDecider(hardwareTypeDecider)
      .when({ type: 'Define', definition: { ...panda, name: '' }, atMs: T0 })
      .thenRejected('invalid_definition');
    givenDecider(hardwareTypeDecider)
      .when({ type: 'Define', definition: { ...panda, name: 'a/b' }, atMs: T0 })
      .thenRejected('invalid_definition');
  });

  it('is the decider of the hardwaretype actor', () => {
    assert.equal(hardwareTypeActor.category, 'hardwaretype');
    assert.equal(hardwareTypeActor.decider, hardwareTypeDecider);
  });
});
