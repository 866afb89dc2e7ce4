import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { given } from './given-events.js';
import { T0, attached, deviceEvent, detached, entered, inventoryOf, readyDevice, registered, retired } from './lab-events.js';
import { requestIdOf } from '../../../src/dialects/mozpool/domain/request-holder.js';

const names = (views: readonly { readonly name: string }[]) => views.map((view) => view.name).sort();

describe('device read model: free devices', () => {
  it('is the ready devices without a request', () => {
    const lab = given([...readyDevice('a'), ...readyDevice('b'), registered('c'), ...readyDevice('d'), attached('d', 1)]);
    assert.deepEqual(names(lab.devices.free()), ['a', 'b']);
    assert.deepEqual(names(lab.devices.free('any')), ['a', 'b']);
  });

  it('filters by environment', () => {
    const lab = given([...readyDevice('a', { environment: 'prod' }), ...readyDevice('b', { environment: 'staging' })]);
    assert.deepEqual(names(lab.devices.free('prod')), ['a']);
    assert.deepEqual(names(lab.devices.free('staging')), ['b']);
    assert.deepEqual(names(lab.devices.free('nowhere')), []);
  });

  it('follows attach and detach', () => {
    const lab = given([...readyDevice('a', { environment: 'prod' }), attached('a', 7)]);
    assert.deepEqual(names(lab.devices.free('prod')), []);
    lab.and([detached('a', 7)]);
    assert.deepEqual(names(lab.devices.free('prod')), ['a']);
    assert.deepEqual(names(lab.devices.free()), ['a']);
  });

  it('follows state changes out of and back into ready', () => {
    const lab = given([...readyDevice('a')]);
    lab.and([entered('a', 'ready', 'pc_power_cycling')]);
    assert.deepEqual(names(lab.devices.free()), []);
    lab.and([entered('a', 'pc_power_cycling', 'operation_complete'), entered('a', 'operation_complete', 'ready')]);
    assert.deepEqual(names(lab.devices.free()), ['a']);
  });

  it('a device attached while not ready is still not free once ready', () => {
    const lab = given([registered('a'), attached('a', 3), entered('a', 'new', 'ready')]);
    assert.deepEqual(names(lab.devices.free()), []);
  });

  it('forgets retired devices', () => {
    const lab = given([...readyDevice('a', { environment: 'prod' }), ...readyDevice('b', { environment: 'prod' }), retired('a')]);
    assert.deepEqual(names(lab.devices.free('prod')), ['b']);
    assert.deepEqual(names(lab.devices.free()), ['b']);
  });

  it('moves a free device between environments', () => {
    const lab = given([...readyDevice('a', { environment: 'prod' })]);
    assert.deepEqual(names(lab.devices.free('prod')), ['a']);
    lab.and([deviceEvent('a', { type: 'DeviceEnvironmentSet', data: { environment: 'staging', atMs: T0 } })]);
    assert.deepEqual(names(lab.devices.free('prod')), []);
    assert.deepEqual(names(lab.devices.free('staging')), ['a']);
    lab.and([deviceEvent('a', { type: 'DeviceInventoryUpdated', data: { ...inventoryOf('a', { environment: 'prod' }), atMs: T0 } })]);
    assert.deepEqual(names(lab.devices.free('prod')), ['a']);
    assert.deepEqual(names(lab.devices.free('staging')), []);
  });

  it('answers with the current views of free devices', () => {
    const lab = given([...readyDevice('a')]);
    assert.equal(lab.devices.free()[0]?.comments, '');
    lab.and([deviceEvent('a', { type: 'DeviceCommentsSet', data: { comments: 'new cable', atMs: T0 } })]);
    assert.equal(lab.devices.free()[0]?.comments, 'new cable');
    assert.equal(lab.devices.free('prod')[0]?.comments, 'new cable');
  });

  it('answers from one array kept current in place, not a copy per call', () => {
    const lab = given([...readyDevice('a'), ...readyDevice('b'), registered('c')]);
    const before = lab.devices.free('prod');
    assert.equal(lab.devices.free('prod'), before);
    lab.and([attached('a', 1)]);
    assert.equal(lab.devices.free('prod'), before);
    assert.deepEqual(names(before), ['b']);
    lab.and([detached('a', 1), entered('c', 'new', 'ready')]);
    assert.deepEqual(names(before), ['a', 'b', 'c']);
  });

  it('agrees with a full scan after a long random history', () => {
    const devices = Array.from({ length: 30 }, (_, i) => `dev-${String(i).padStart(2, '0')}`);
    const environments = ['prod', 'staging', 'any'];
    const lab = given(devices.flatMap((name, i) => readyDevice(name, { environment: environments[i % 3] ?? 'prod' })));
    let seed = 1;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let step = 0; step < 2_000; step++) {
      const name = devices[random(devices.length)] ?? 'dev-00';
      const view = lab.devices.get(name);
      lab.and([randomEvent(name, requestIdOf(view?.holder ?? null) ?? null, view === undefined, random)]);
      assertFreeMatchesScan(lab.devices, environments);
    }
  });
});

function randomEvent(name: string, requestId: number | null, isRetired: boolean, random: (n: number) => number) {
  if (isRetired) return registered(name, { environment: ['prod', 'staging'][random(2)] ?? 'prod' });
  switch (random(6)) {
    case 0:
      return requestId === null ? attached(name, random(1000)) : detached(name, requestId);
    case 1:
      return entered(name, 'new', (['ready', 'pxe_booting', 'failed_pxe_booting'] as const)[random(3)] ?? 'ready');
    case 2:
      return deviceEvent(name, { type: 'DeviceEnvironmentSet', data: { environment: ['prod', 'staging', 'any'][random(3)] ?? 'prod', atMs: T0 } });
    case 3:
      return random(10) === 0 ? retired(name) : entered(name, 'new', 'ready');
    default:
      return requestId === null ? entered(name, 'new', 'ready') : detached(name, requestId);
  }
}

function assertFreeMatchesScan(devices: ReturnType<typeof given>['devices'], environments: readonly string[]): void {
  const scan = devices.list().filter((d) => d.state === 'ready' && requestIdOf(d.holder) === null);
  assert.deepEqual(names(devices.free()), names(scan));
  for (const environment of environments.filter((e) => e !== 'any')) {
    assert.deepEqual(names(devices.free(environment)), names(scan.filter((d) => d.environment === environment)));
  }
}
