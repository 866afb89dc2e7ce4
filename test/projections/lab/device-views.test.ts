import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { given } from './given-events.js';
import { T0, attached, deviceEvent, detached, entered, inventoryOf, readyDevice, registered, retired } from './lab-events.js';
import { requestIdOf } from '../../../src/dialects/mozpool/domain/request-holder.js';

describe('device read model: views', () => {
  it('registers a device as new, with ids in order of registration from 1', () => {
    const lab = given([registered('panda-0002', {}, T0 + 5), registered('panda-0001')]);
    assert.deepEqual(lab.devices.get('panda-0002'), {
      id: 1,
      name: 'panda-0002',
      fqdn: 'panda-0002.lab.example.com',
      inventoryId: 100,
      macAddress: '00:11:22:33:44:55',
      imagingServer: 'lab1:8010',
      relayInfo: 'pdu1.lab.example.com/1',
      hardwareType: 'panda',
      state: 'new',
      comments: '',
      image: '',
      bootConfig: '',
      environment: 'prod',
      tags: [],
      labels: {},
      rack: null,
      rackLabels: {},
      holder: null,
      stateEnteredAtMs: T0 + 5,
    });
    assert.equal(lab.devices.get('panda-0001')?.id, 2);
    assert.equal(lab.devices.get('panda-0003'), undefined);
  });

  it('lists devices sorted by name and keeps the list current after changes', () => {
    const lab = given([registered('b'), registered('c'), registered('a')]);
    assert.deepEqual(
      lab.devices.list().map((d) => d.name),
      ['a', 'b', 'c'],
    );
    lab.and([entered('b', 'new', 'ready'), registered('aa')]);
    assert.deepEqual(
      lab.devices.list().map((d) => [d.name, d.state]),
      [
        ['a', 'new'],
        ['aa', 'new'],
        ['b', 'ready'],
        ['c', 'new'],
      ],
    );
    assert.equal(lab.devices.list(), lab.devices.list(), 'an unchanged list is answered from the cache');
  });

  it('knows the revision of the last event of each device, log-only events included', () => {
    const lab = given([registered('r'), entered('r', 'new', 'ready')]);
    assert.equal(lab.devices.revision('r'), 1);
    lab.and([deviceEvent('r', { type: 'DeviceLogged', data: { source: 'user', message: 'hello', atMs: T0 } })]);
    assert.equal(lab.devices.revision('r'), 2);
    assert.equal(lab.devices.revision('unknown'), undefined);
  });

  it('takes state and its time from DeviceStateEntered', () => {
    const lab = given([registered('d'), entered('d', 'new', 'start_self_test', T0 + 1000)]);
    assert.equal(lab.devices.get('d')?.state, 'start_self_test');
    assert.equal(lab.devices.get('d')?.stateEnteredAtMs, T0 + 1000);
  });

  it('updates inventory facts and keeps the rest', () => {
    const lab = given([
      ...readyDevice('d'),
      deviceEvent('d', { type: 'DeviceInventoryUpdated', data: { ...inventoryOf('d', { fqdn: 'new.example.com', relayInfo: 'pdu2/4', inventoryId: 7 }), atMs: T0 } }),
    ]);
    const view = lab.devices.get('d');
    assert.deepEqual([view?.fqdn, view?.relayInfo, view?.inventoryId, view?.state, view?.id], ['new.example.com', 'pdu2/4', 7, 'ready', 1]);
  });

  it('tracks the attached request', () => {
    const lab = given([...readyDevice('d'), attached('d', 42)]);
    assert.equal(requestIdOf(lab.devices.get('d')?.holder ?? null), 42);
    lab.and([detached('d', 41)]);
    assert.equal(requestIdOf(lab.devices.get('d')?.holder ?? null), 42, 'detaching another request leaves the attachment');
    lab.and([detached('d', 42)]);
    assert.equal(requestIdOf(lab.devices.get('d')?.holder ?? null), null);
  });

  it('takes the boot config when imaging begins (the second stage reads it), the image once installed, boot config alone from DeviceBootConfigSet', () => {
    const lab = given([...readyDevice('d'), deviceEvent('d', { type: 'DeviceImagingRequested', data: { image: 'android', bootConfig: '{"x":1}', pxeConfig: 'panda-android', atMs: T0 } })]);
    assert.deepEqual([lab.devices.get('d')?.image, lab.devices.get('d')?.bootConfig], ['', '{"x":1}']);
    lab.and([deviceEvent('d', { type: 'DeviceImageInstalled', data: { image: 'android', bootConfig: '{"x":1}', atMs: T0 } })]);
    assert.deepEqual([lab.devices.get('d')?.image, lab.devices.get('d')?.bootConfig], ['android', '{"x":1}']);
    lab.and([deviceEvent('d', { type: 'DeviceBootConfigSet', data: { bootConfig: '{"x":2}', atMs: T0 } })]);
    assert.deepEqual([lab.devices.get('d')?.image, lab.devices.get('d')?.bootConfig], ['android', '{"x":2}']);
  });

  it('sets comments and environment', () => {
    const lab = given([
      registered('d'),
      deviceEvent('d', { type: 'DeviceCommentsSet', data: { comments: 'flaky usb', atMs: T0 } }),
      deviceEvent('d', { type: 'DeviceEnvironmentSet', data: { environment: 'staging', atMs: T0 } }),
    ]);
    assert.equal(lab.devices.get('d')?.comments, 'flaky usb');
    assert.equal(lab.devices.get('d')?.environment, 'staging');
  });

  it('leaves the view alone for events that only log (a failed power cycle does not: power-trouble.test.ts)', () => {
    const lab = given([...readyDevice('d')]);
    const before = lab.devices.get('d');
    lab.and([
      deviceEvent('d', { type: 'PowerCycleSucceeded', data: { atMs: T0 } }),
      deviceEvent('d', { type: 'PowerOffRequested', data: { atMs: T0 } }),
      deviceEvent('d', { type: 'PowerCycleRequested', data: { pxeConfig: null, atMs: T0 } }),
      deviceEvent('d', { type: 'PxeClearRequested', data: { reason: 'boot complete', atMs: T0 } }),
      deviceEvent('d', { type: 'VerifyFailed', data: { error: 'no answer on 22', atMs: T0 } }),
      deviceEvent('d', { type: 'BootStarted', data: { bootId: 'b1', kind: 'power_cycle', image: null, pxeConfig: null, atMs: T0 } }),
      deviceEvent('d', { type: 'BootEnded', data: { bootId: 'b1', outcome: 'complete', state: 'operation_complete', atMs: T0 } }),
      deviceEvent('d', { type: 'DeviceEventReported', data: { event: 'x', state: 'ready', ignored: true, atMs: T0 } }),
      deviceEvent('d', { type: 'DeviceLogged', data: { source: 'bmm', message: 'hi', atMs: T0 } }),
      { stream: 'device-d', type: 'SomethingFromANewerVersion', data: {} },
    ]);
    assert.equal(lab.devices.get('d'), before);
  });

  it('drops a retired device from get, list, stateMap and free; a re-registration gets its old id', () => {
    const lab = given([...readyDevice('a'), ...readyDevice('b'), retired('a')]);
    assert.equal(lab.devices.get('a'), undefined);
    assert.deepEqual(
      lab.devices.list().map((d) => d.name),
      ['b'],
    );
    assert.deepEqual(lab.devices.stateMap(), { b: 'ready' });
    assert.deepEqual(
      lab.devices.free().map((d) => d.name),
      ['b'],
    );
    lab.and([entered('a', 'ready', 'ready'), registered('c'), registered('a')]);
    assert.deepEqual([lab.devices.get('a')?.id, lab.devices.get('a')?.state], [1, 'new']);
    assert.equal(lab.devices.get('c')?.id, 3);
  });

  it('ignores events of a device never registered', () => {
    const lab = given([entered('ghost', 'new', 'ready'), attached('ghost', 1)]);
    assert.deepEqual(lab.devices.list(), []);
    assert.deepEqual(lab.devices.free(), []);
  });

  it('maps every device to its state', () => {
    const lab = given([registered('a'), ...readyDevice('b')]);
    assert.deepEqual(lab.devices.stateMap(), { a: 'new', b: 'ready' });
    lab.and([entered('a', 'new', 'failed_power_cycling')]);
    assert.deepEqual(lab.devices.stateMap(), { a: 'failed_power_cycling', b: 'ready' });
  });

  it('lists the distinct environments of registered devices, sorted', () => {
    const lab = given([registered('a', { environment: 'staging' }), registered('b', { environment: 'prod' }), registered('c', { environment: 'prod' })]);
    assert.deepEqual(lab.devices.environments(), ['prod', 'staging']);
    lab.and([retired('a'), deviceEvent('b', { type: 'DeviceEnvironmentSet', data: { environment: 'any', atMs: T0 } })]);
    assert.deepEqual(lab.devices.environments(), ['any', 'prod']);
    lab.and([retired('c')]);
    assert.deepEqual(lab.devices.environments(), ['any']);
  });
});
