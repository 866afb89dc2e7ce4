import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDeviceDecider } from '../../../src/domain/device/device-decider.js';
import { givenDecider } from '../../support/given-when-then.js';
import { NAME, T0, deviceDecider, inventoryOf, pxeBootingDevice, readyDevice } from './device-fixtures.js';

// The fixtures' devices belong to lab1:8010.
const OLD = 'lab1:8010';
const NEW = 'lab2:8010';
const handedOver = { type: 'DeviceHandedOver', data: { from: OLD, to: NEW, atMs: T0 + 50 } } as const;

describe('device: handover between servers', () => {
  it('moves the device to the new server: its owner, its handover and its deadline', () => {
    const device = pxeBootingDevice();
    device
      .when({ type: 'HandOver', from: OLD, to: NEW, nowMs: T0 + 50 })
      .thenEvents([handedOver])
      .thenState((state) => {
        assert.equal(state.inventory?.imagingServer, NEW);
        assert.deepEqual(state.handover, { from: OLD, to: NEW, atMs: T0 + 50 });
        // The state, its counters and its deadline travel unchanged: the new owner honours them.
        assert.equal(state.state, 'pxe_booting');
        assert.deepEqual(deviceDecider.nextDeadline?.(state), deviceDecider.nextDeadline?.(device.state));
      });
  });

  it('a handover sent again changes nothing', () => {
    givenDecider(deviceDecider)
      .given(...readyDevice().events, handedOver)
      .when({ type: 'HandOver', from: OLD, to: NEW, nowMs: T0 + 60 })
      .thenNothing();
  });

  it('refuses a handover from a server that does not own the device', () => {
    readyDevice()
      .when({ type: 'HandOver', from: 'lab3:8010', to: NEW, nowMs: T0 + 50 })
      .thenRejected('not_owner', /belongs to lab1:8010, not lab3:8010/);
  });

  it('refuses a handover to the server it comes from', () => {
    readyDevice()
      .when({ type: 'HandOver', from: OLD, to: OLD, nowMs: T0 + 50 })
      .thenRejected('same_server');
  });

  it('refuses a handover of a device never registered', () => {
    givenDecider(deviceDecider).when({ type: 'HandOver', from: OLD, to: NEW, nowMs: T0 }).thenRejected('unknown_device');
  });
});

describe('device: the server it was handed over from', () => {
  const oldOwner = createDeviceDecider(undefined, OLD);
  const newOwner = createDeviceDecider(undefined, NEW);

  it('refuses every command there, naming the new owner and when', () => {
    const moved = givenDecider(oldOwner).given(...pxeBootingDevice(undefined, oldOwner).events, handedOver);
    const message = new RegExp(`^device ${NAME} was handed over to ${NEW} at ${new Date(T0 + 50).toISOString()}; this server no longer acts on it$`);
    moved.when({ type: 'ReportEvent', event: 'mobile_init_started', nowMs: T0 + 60 }).thenRejected('handed_over', message);
    moved.when({ type: 'Timeout', deadline: { name: 'pxe_booting#5', atMs: T0 }, nowMs: T0 + 60 }).thenRejected('handed_over', message);
    // Its inventory file still names it as the owner: the sync must not take the device back.
    moved.when({ type: 'Register', name: NAME, inventory: inventoryOf(), nowMs: T0 + 60 }).thenRejected('handed_over', message);
  });

  it('arms no deadline there, while the new owner keeps it', () => {
    const history = pxeBootingDevice(undefined, oldOwner).record(handedOver);
    assert.equal(oldOwner.nextDeadline?.(history.state), undefined);
    assert.deepEqual(newOwner.nextDeadline?.(history.state), deviceDecider.nextDeadline?.(history.state));
  });

  it('the new owner acts on it as before', () => {
    givenDecider(newOwner)
      .given(...readyDevice(newOwner).events, handedOver)
      .when({ type: 'SetComments', comments: 'moved', nowMs: T0 + 60 })
      .thenEventTypes('DeviceCommentsSet');
  });

  it('takes the device back only by a handover of its own', () => {
    givenDecider(oldOwner)
      .given(...readyDevice(oldOwner).events, handedOver)
      .when({ type: 'HandOver', from: NEW, to: OLD, nowMs: T0 + 70 })
      .thenEventTypes('DeviceHandedOver')
      .thenState((state) => assert.equal(state.inventory?.imagingServer, OLD))
      .when({ type: 'SetComments', comments: 'back', nowMs: T0 + 80 })
      .thenEventTypes('DeviceCommentsSet');
  });

  it('a device never handed over is not refused anywhere (other servers only read it)', () => {
    readyDevice(newOwner)
      .when({ type: 'SetComments', comments: 'here', nowMs: T0 + 60 })
      .thenEventTypes('DeviceCommentsSet');
  });
});
