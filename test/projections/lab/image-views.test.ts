import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { given } from './given-events.js';
import { imageDefined, inventoryEvent, pxeConfigDefined, T0 } from './lab-events.js';

describe('image read model', () => {
  it('shows a defined image with every field of its definition', () => {
    const lab = given([imageDefined('android', { bootConfigKeys: ['b2gbase'], canReuse: true, hasSutAgent: true, verify: { tcpPort: 20701 }, pxeConfigs: { panda: 'panda-android' } })]);
    assert.deepEqual(lab.images.get('android'), {
      id: 1,
      name: 'android',
      bootConfigKeys: ['b2gbase'],
      canReuse: true,
      hidden: false,
      hasSutAgent: true,
      verifyTcpPort: 20701,
      pxeConfigs: { panda: 'panda-android' },
    });
  });

  it('keeps the id of the first definition on a redefinition', () => {
    const lab = given([imageDefined('ubuntu'), imageDefined('android'), imageDefined('ubuntu', { canReuse: true })]);
    assert.deepEqual([lab.images.get('ubuntu')?.id, lab.images.get('ubuntu')?.canReuse], [1, true]);
    assert.equal(lab.images.get('android')?.id, 2);
  });

  it('lists images by name, hidden ones only when asked', () => {
    const lab = given([imageDefined('ubuntu'), imageDefined('self-test', { hidden: true }), imageDefined('android'), imageDefined('maintenance', { hidden: true })]);
    assert.deepEqual(
      lab.images.list(false).map((i) => i.name),
      ['android', 'ubuntu'],
    );
    assert.deepEqual(
      lab.images.list(true).map((i) => i.name),
      ['android', 'maintenance', 'self-test', 'ubuntu'],
    );
    lab.and([imageDefined('ubuntu', { hidden: true })]);
    assert.deepEqual(
      lab.images.list(false).map((i) => i.name),
      ['android'],
    );
  });

  it('finds the active PXE config for an image on a hardware type', () => {
    const lab = given([
      imageDefined('android', { pxeConfigs: { panda: 'panda-android', server: 'server-android', nuc: 'missing' } }),
      pxeConfigDefined('panda-android'),
      pxeConfigDefined('server-android', { active: false }),
    ]);
    assert.equal(lab.images.pxeConfigFor('android', 'panda')?.name, 'panda-android');
    assert.equal(lab.images.pxeConfigFor('android', 'server'), undefined, 'inactive');
    assert.equal(lab.images.pxeConfigFor('android', 'nuc'), undefined, 'mapped to a config never defined');
    assert.equal(lab.images.pxeConfigFor('android', 'toaster'), undefined, 'no mapping for the hardware type');
    assert.equal(lab.images.pxeConfigFor('android', 'constructor'), undefined, 'no mapping inherited from Object');
    assert.equal(lab.images.pxeConfigFor('ubuntu', 'panda'), undefined, 'unknown image');
    lab.and([pxeConfigDefined('server-android', { active: true })]);
    assert.equal(lab.images.pxeConfigFor('android', 'server')?.name, 'server-android');
  });

  it('ignores hardware types', () => {
    const lab = given([inventoryEvent({ type: 'HardwareTypeDefined', data: { name: 'panda', description: 'PandaBoard ES', atMs: T0 } })]);
    assert.deepEqual(lab.images.list(true), []);
    assert.deepEqual(lab.pxeConfigs.list(false), []);
  });
});

describe('PXE config read model', () => {
  it('upserts definitions and lists them by name, active ones only when asked', () => {
    const lab = given([pxeConfigDefined('b', { version: 1 }), pxeConfigDefined('a', { active: false }), pxeConfigDefined('b', { version: 2, contents: 'DEFAULT b2' })]);
    assert.deepEqual(lab.pxeConfigs.get('b'), { name: 'b', version: 2, description: '', contents: 'DEFAULT b2', active: true });
    assert.deepEqual(
      lab.pxeConfigs.list(false).map((c) => c.name),
      ['a', 'b'],
    );
    assert.deepEqual(
      lab.pxeConfigs.list(true).map((c) => c.name),
      ['b'],
    );
    assert.equal(lab.pxeConfigs.get('c'), undefined);
  });
});
