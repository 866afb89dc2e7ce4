import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeHolder, sameHolder, type Holder } from '../../../src/domain/holders/holder.js';
import { evolveDevice, initialDeviceState } from '../../../src/domain/device/device-state.js';
import { DEVICE_UPCASTERS } from '../../../src/domain/device/device-upcasters.js';
import { DeviceHistory, T0, readyDevice } from './device-fixtures.js';

const pool: Holder = { kind: 'vmpooler_pool', id: 'centos-7' };
const vm: Holder = { kind: 'vmpooler_vm', id: 'quiet-otter' };
const now = T0 + 1_000;

describe('device: holders of every kind', () => {
  it('one holder at a time, whatever its kind', () => {
    readyDevice()
      .when({ type: 'AttachHolder', holder: pool, nowMs: now })
      .thenEvents([{ type: 'DeviceHolderAttached', data: { holder: pool, atMs: now } }])
      .when({ type: 'AttachHolder', holder: { kind: 'mozpool_request', id: '7' }, nowMs: now })
      .thenRejected('not_free', /attached to pool centos-7/)
      .when({ type: 'AttachHolder', holder: { kind: 'vmpooler_vm', id: 'centos-7' }, nowMs: now })
      .thenRejected('not_free');
  });

  it('transfers from one holder to the next without the device being free in between', () => {
    readyDevice()
      .send({ type: 'AttachHolder', holder: pool, nowMs: now })
      .when({ type: 'TransferHolder', from: pool, to: vm, reason: 'checked out', nowMs: now })
      .thenEvents([{ type: 'DeviceHolderTransferred', data: { from: pool, to: vm, reason: 'checked out', atMs: now } }])
      .thenState((state) => sameHolder(state.holder, vm) && state.state === 'ready')
      // The same transfer again (a retry) is a no-op; the old holder can no longer detach it.
      .when({ type: 'TransferHolder', from: pool, to: vm, reason: 'checked out', nowMs: now })
      .thenNothing()
      .when({ type: 'DetachHolder', holder: pool, reason: 'returned', nowMs: now })
      .thenNothing()
      .thenState((state) => sameHolder(state.holder, vm));
  });

  it('refuses a transfer from a holder that does not hold the device', () => {
    readyDevice()
      .when({ type: 'TransferHolder', from: pool, to: vm, reason: 'checked out', nowMs: now })
      .thenRejected('not_held', /held by nobody, not pool centos-7/);
    readyDevice()
      .send({ type: 'AttachHolder', holder: { kind: 'mozpool_request', id: '3' }, nowMs: now })
      .when({ type: 'TransferHolder', from: pool, to: vm, reason: 'checked out', nowMs: now })
      .thenRejected('not_held', /held by request 3/);
  });

  it('a held ready device waits without verifying, whoever holds it', () => {
    const history = readyDevice().send({ type: 'AttachHolder', holder: pool, nowMs: now }).send({ type: 'TransferHolder', from: pool, to: vm, reason: '', nowMs: now });
    assert.equal(history.decider.nextDeadline?.(history.state), undefined);
  });

  it('anyState attaches a device nobody holds whatever its state, and only such a device', () => {
    const host: Holder = { kind: 'commissaire_cluster', id: 'web1.lab.example.com' };
    const failed = () => readyDevice().force('ready', 'failed_pxe_booting');
    failed()
      .when({ type: 'AttachHolder', holder: host, nowMs: now })
      .thenRejected('not_free', /in state failed_pxe_booting/);
    failed()
      .when({ type: 'AttachHolder', holder: host, anyState: true, nowMs: now })
      .thenEvents([{ type: 'DeviceHolderAttached', data: { holder: host, atMs: now } }])
      .thenState((state) => sameHolder(state.holder, host) && state.state === 'failed_pxe_booting');
    failed()
      .send({ type: 'AttachHolder', holder: pool, anyState: true, nowMs: now })
      .when({ type: 'AttachHolder', holder: host, anyState: true, nowMs: now })
      .thenRejected('not_free', /attached to pool centos-7/);
    failed().send({ type: 'Retire', nowMs: now }).when({ type: 'AttachHolder', holder: host, anyState: true, nowMs: now }).thenRejected('not_free');
    new DeviceHistory().when({ type: 'AttachHolder', holder: host, anyState: true, nowMs: now }).thenRejected('unknown_device');
  });

  it('names holders for logs and messages', () => {
    assert.deepEqual(
      [describeHolder({ kind: 'mozpool_request', id: '12' }), describeHolder(pool), describeHolder({ kind: 'lbaas_loadbalancer', id: '4' })],
      ['request 12', 'pool centos-7', 'load balancer 4'],
    );
  });
});

describe('device: events stored before holders', () => {
  const upcast = (type: string, data: Record<string, unknown>) => {
    const upcaster = DEVICE_UPCASTERS.find((candidate) => candidate.fromType === type) ?? assert.fail(type);
    return { type: upcaster.toType, data: upcaster.upcast(data as never) };
  };

  it('read a request attach and detach as holder events of that request', () => {
    assert.deepEqual(upcast('DeviceRequestAttached', { requestId: 42, atMs: T0 }), { type: 'DeviceHolderAttached', data: { holder: { kind: 'mozpool_request', id: '42' }, atMs: T0 } });
    assert.deepEqual(upcast('DeviceRequestDetached', { requestId: 42, reason: 'expired', atMs: T0 }), {
      type: 'DeviceHolderDetached',
      data: { holder: { kind: 'mozpool_request', id: '42' }, reason: 'expired', atMs: T0 },
    });
  });

  it('fold into the same state as the new events', () => {
    const attached = upcast('DeviceRequestAttached', { requestId: 42, atMs: T0 }) as never;
    assert.deepEqual(evolveDevice(initialDeviceState, attached).holder, { kind: 'mozpool_request', id: '42' });
  });
});
