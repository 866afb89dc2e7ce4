import { requestHolder } from '../../../src/dialects/mozpool/domain/request-holder.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeviceEvent } from '../../../src/domain/device/device-events.js';
import { CREATED_AT_MS, given } from './given-events.js';
import { T0, deviceEvent, entered, registered, retired } from './lab-events.js';

/** The one log line `event` adds to a registered device's log. */
function lineFor(event: DeviceEvent) {
  const lab = given([registered('d'), deviceEvent('d', event)]);
  const log = lab.devices.log('d');
  assert.equal(log.length, 2);
  const { source, message } = log[1] ?? { source: '', message: '' };
  return { source, message };
}

describe('device read model: log', () => {
  it('dates each line by the event atMs, with the event position as id', () => {
    const lab = given([registered('d', {}, T0), entered('d', 'new', 'start_self_test', T0 + 1500, 'registered')]);
    assert.deepEqual(lab.devices.log('d'), [
      {
        id: 1,
        timestamp: '2024-06-01T12:00:00.000Z',
        source: 'inventory',
        message: 'registered: panda d.lab.example.com (00:11:22:33:44:55), power pdu1.lab.example.com/1, server lab1:8010, environment prod',
      },
      { id: 2, timestamp: '2024-06-01T12:00:01.500Z', source: 'statemachine', message: 'entering state start_self_test (from new: registered)' },
    ]);
  });

  it('falls back to the store time when the data has no atMs', () => {
    const lab = given([registered('d'), { stream: 'device-d', type: 'DeviceLogged', data: { source: 'ops', message: 'hand-made' } }]);
    assert.equal(lab.devices.log('d')[1]?.timestamp, new Date(CREATED_AT_MS + 2000).toISOString());
  });

  it('describes state entries, with the try number on retries', () => {
    const data = { from: 'pxe_booting', to: 'pxe_booting', trigger: 'timeout', reason: 'timeout', atMs: T0, timeoutAtMs: T0 + 1, counter: 3, clearedCounters: false } as const;
    assert.deepEqual(lineFor({ type: 'DeviceStateEntered', data }), { source: 'statemachine', message: 'entering state pxe_booting (from pxe_booting: timeout, try 3)' });
    assert.deepEqual(lineFor({ type: 'DeviceStateEntered', data: { ...data, from: 'ready', to: 'pc_power_cycling', reason: '', counter: 1 } }), {
      source: 'statemachine',
      message: 'entering state pc_power_cycling (from ready)',
    });
  });

  it('says what BMM did', () => {
    assert.deepEqual(lineFor({ type: 'PowerCycleSucceeded', data: { atMs: T0 } }), { source: 'bmm', message: 'power cycle succeeded' });
    assert.deepEqual(lineFor({ type: 'PowerCycleFailed', data: { error: 'snmp timeout', atMs: T0 } }), { source: 'bmm', message: 'power cycle failed: snmp timeout' });
    assert.deepEqual(lineFor({ type: 'PowerOffRequested', data: { atMs: T0 } }), { source: 'bmm', message: 'power off requested' });
    assert.deepEqual(lineFor({ type: 'PowerCycleRequested', data: { pxeConfig: 'panda-android', atMs: T0 } }), { source: 'bmm', message: 'power cycle requested with PXE config panda-android' });
    assert.deepEqual(lineFor({ type: 'PowerCycleRequested', data: { pxeConfig: null, atMs: T0 } }), { source: 'bmm', message: 'power cycle requested, PXE cleared' });
    assert.deepEqual(lineFor({ type: 'PxeClearRequested', data: { reason: 'boot complete', atMs: T0 } }), { source: 'bmm', message: 'PXE config cleared: boot complete' });
    assert.deepEqual(lineFor({ type: 'DeviceBootConfigSet', data: { bootConfig: '{"a":1}', atMs: T0 } }), { source: 'bmm', message: 'boot config set to {"a":1}' });
  });

  it('says what LifeGuard did', () => {
    const lifeguard = (message: string) => ({ source: 'lifeguard', message });
    assert.deepEqual(
      lineFor({ type: 'DeviceImagingRequested', data: { image: 'android', bootConfig: '', pxeConfig: 'panda-android', atMs: T0 } }),
      lifeguard('imaging android with PXE config panda-android'),
    );
    assert.deepEqual(lineFor({ type: 'DeviceImageInstalled', data: { image: 'android', bootConfig: '{"a":1}', atMs: T0 } }), lifeguard('image android installed, boot config {"a":1}'));
    assert.deepEqual(
      lineFor({ type: 'BootStarted', data: { bootId: 'b-1', kind: 'image', image: 'android', pxeConfig: 'panda-android', atMs: T0 } }),
      lifeguard('boot b-1 started: image (image android, PXE config panda-android)'),
    );
    assert.deepEqual(lineFor({ type: 'BootStarted', data: { bootId: 'b-2', kind: 'power_cycle', image: null, pxeConfig: null, atMs: T0 } }), lifeguard('boot b-2 started: power_cycle'));
    assert.deepEqual(
      lineFor({ type: 'BootEnded', data: { bootId: 'b-1', outcome: 'failed', state: 'failed_pxe_booting', atMs: T0 } }),
      lifeguard('boot b-1 ended: failed in state failed_pxe_booting'),
    );
    assert.deepEqual(lineFor({ type: 'VerifyFailed', data: { error: 'port 22 closed', atMs: T0 } }), lifeguard('verify failed: port 22 closed'));
    assert.deepEqual(lineFor({ type: 'DeviceHolderAttached', data: { holder: requestHolder(9), atMs: T0 } }), lifeguard('attached to request 9'));
    assert.deepEqual(lineFor({ type: 'DeviceHolderDetached', data: { holder: requestHolder(9), reason: 'expired', atMs: T0 } }), lifeguard('detached from request 9: expired'));
  });

  it('says what the device reported, and when it was ignored', () => {
    assert.deepEqual(lineFor({ type: 'DeviceEventReported', data: { event: 'mobile_init_started', state: 'pxe_booting', ignored: false, atMs: T0 } }), {
      source: 'device',
      message: 'event mobile_init_started in state pxe_booting',
    });
    assert.deepEqual(lineFor({ type: 'DeviceEventReported', data: { event: 'bogus', state: 'ready', ignored: true, atMs: T0 } }), {
      source: 'device',
      message: 'event bogus in state ready (ignored)',
    });
  });

  it('says what users and inventory changed, and keeps the source of DeviceLogged', () => {
    assert.deepEqual(lineFor({ type: 'DeviceCommentsSet', data: { comments: 'bad "usb"', atMs: T0 } }), { source: 'user', message: 'comments set to "bad \\"usb\\""' });
    assert.deepEqual(lineFor({ type: 'DeviceEnvironmentSet', data: { environment: 'staging', atMs: T0 } }), { source: 'user', message: 'environment set to staging' });
    assert.deepEqual(lineFor({ type: 'DeviceLogged', data: { source: 'sim', message: 'hello', atMs: T0 } }), { source: 'sim', message: 'hello' });
    const inventoryUpdated = lineFor({
      type: 'DeviceInventoryUpdated',
      data: { fqdn: 'f', inventoryId: 1, macAddress: 'm', imagingServer: 's', relayInfo: 'r', hardwareType: 'h', environment: 'e', tags: [], labels: {}, rack: null, rackLabels: {}, atMs: T0 },
    });
    assert.deepEqual(inventoryUpdated, { source: 'inventory', message: 'inventory updated: h f (m), power r, server s, environment e' });
  });

  it('skips event types it does not know', () => {
    const lab = given([registered('d'), { stream: 'device-d', type: 'FromTheFuture', data: { atMs: T0 } }]);
    assert.equal(lab.devices.log('d').length, 1);
  });

  it('filters by time and limits to the newest lines, oldest first', () => {
    const lab = given([registered('d', {}, T0), ...[1, 2, 3, 4].map((s) => entered('d', 'ready', `s${s}_downloading`, T0 + s * 1000))]);
    assert.deepEqual(
      lab.devices.log('d', { sinceMs: T0 + 2000 }).map((l) => l.id),
      [3, 4, 5],
    );
    assert.deepEqual(
      lab.devices.log('d', { limit: 2 }).map((l) => l.id),
      [4, 5],
    );
    assert.deepEqual(
      lab.devices.log('d', { sinceMs: T0 + 2000, limit: 10 }).map((l) => l.id),
      [3, 4, 5],
    );
    assert.deepEqual(lab.devices.log('d', { limit: 0 }), []);
    assert.deepEqual(lab.devices.log('unknown'), []);
  });

  it('keeps only the newest 1,000 lines per device', () => {
    const lab = given([registered('d'), ...Array.from({ length: 2_500 }, (_, i) => entered('d', 'ready', `s${i}_downloading`))]);
    const log = lab.devices.log('d');
    assert.equal(log.length, 1_000);
    assert.equal(log[0]?.id, 1_502);
    assert.equal(log.at(-1)?.id, 2_501);
    assert.equal(log.at(-1)?.message, 'entering state s2499_downloading (from ready)');
  });

  it('drops the log of a retired device', () => {
    const lab = given([registered('d'), entered('d', 'new', 'ready'), retired('d')]);
    assert.deepEqual(lab.devices.log('d'), []);
    lab.and([registered('d')]);
    assert.deepEqual(
      lab.devices.log('d').map((l) => l.id),
      [4],
    );
  });
});
