import { requestHolder } from '../../../src/dialects/mozpool/domain/request-holder.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DEVICE_LIMITS } from '../../../src/domain/device/device-limits.js';
import { createDeviceDecider } from '../../../src/domain/device/device-decider.js';
import { givenDecider } from '../../support/given-when-then.js';
import { NAME, T0, deviceDecider, enteredStates, eventsOf, inState, inventoryOf, readyDevice, registeredDevice } from './device-fixtures.js';

describe('device: registration', () => {
  it('registers a device into `new`, which times out at once', () => {
    givenDecider(deviceDecider)
      .when({ type: 'Register', name: NAME, inventory: inventoryOf(), nowMs: T0 })
      .thenEvents([
        { type: 'DeviceRegistered', data: { name: NAME, ...inventoryOf(), atMs: T0 } },
        {
          type: 'DeviceStateEntered',
          data: { from: 'new', to: 'new', trigger: 'registered', reason: 'registered', atMs: T0, timeoutAtMs: T0, counter: 1, clearedCounters: false },
        },
      ])
      .thenState((state) => {
        assert.equal(state.name, NAME);
        assert.deepEqual(state.inventory, inventoryOf());
        assert.deepEqual(deviceDecider.nextDeadline?.(state), { name: 'new#1', atMs: T0 });
      });
  });

  it('registering again with the same inventory changes nothing', () => {
    registeredDevice()
      .when({ type: 'Register', name: NAME, inventory: inventoryOf(), nowMs: T0 + 1 })
      .thenNothing();
  });

  it('registering again with another inventory updates it, without touching the state', () => {
    const moved = inventoryOf({ relayInfo: 'pdu2.lab.example.com/4' });
    readyDevice()
      .when({ type: 'Register', name: NAME, inventory: moved, nowMs: T0 + 5 })
      .thenEvents([{ type: 'DeviceInventoryUpdated', data: { ...moved, atMs: T0 + 5 } }])
      .thenState((state) => assert.deepEqual([state.inventory, state.state], [moved, 'ready']));
  });

  it('retires once; retiring again changes nothing; a retired device has no deadline', () => {
    registeredDevice()
      .when({ type: 'Retire', nowMs: T0 + 1 })
      .thenEvents([{ type: 'DeviceRetired', data: { atMs: T0 + 1 } }])
      .thenState((state) => state.retired && deviceDecider.nextDeadline?.(state) === undefined)
      .when({ type: 'Retire', nowMs: T0 + 2 })
      .thenNothing();
  });

  it('registering a retired device brings it back, even with the same inventory', () => {
    registeredDevice()
      .send({ type: 'Retire', nowMs: T0 })
      .when({ type: 'Register', name: NAME, inventory: inventoryOf(), nowMs: T0 + 3 })
      .thenEventTypes('DeviceInventoryUpdated')
      .thenState((state) => !state.retired);
  });

  it('refuses every other command for an unregistered device', () => {
    givenDecider(deviceDecider).when({ type: 'PleaseSelfTest', nowMs: T0 }).thenRejected('unknown_device');
    givenDecider(deviceDecider)
      .when({ type: 'AttachHolder', holder: requestHolder(1), nowMs: T0 })
      .thenRejected('unknown_device');
    givenDecider(deviceDecider).when({ type: 'Retire', nowMs: T0 }).thenRejected('unknown_device');
  });

  it('`new` times out into a self-test with cleared counters and a new boot', () => {
    const outcome = registeredDevice().whenTimeout().thenEventTypes('BootStarted', 'DeviceStateEntered').thenState(inState('start_self_test'));
    const [boot] = eventsOf(outcome, 'BootStarted');
    assert.deepEqual(boot?.data, { bootId: `${NAME}.2`, kind: 'self_test', image: 'self-test', pxeConfig: null, atMs: T0 });
    const [entered] = eventsOf(outcome, 'DeviceStateEntered');
    assert.equal(entered?.data.trigger, 'timeout');
    assert.equal(entered?.data.clearedCounters, true);
    assert.equal(entered?.data.timeoutAtMs, T0 + 30_000);
  });

  it('uses configured limits from the first state on', () => {
    const decider = createDeviceDecider({ ...DEFAULT_DEVICE_LIMITS, new: { timeoutMs: 5_000, maxCount: null } });
    givenDecider(decider)
      .when({ type: 'Register', name: NAME, inventory: inventoryOf(), nowMs: T0 })
      .thenState((state) => assert.deepEqual(decider.nextDeadline?.(state), { name: 'new#1', atMs: T0 + 5_000 }));
  });

  it('comes to `ready` through a plain self-test when there is no self-test PXE config', () => {
    const history = registeredDevice().timeout();
    const outcome = history.when((state, nowMs) => ({ type: 'Continue', seq: state.seq, pxeConfig: null, nowMs }));
    assert.deepEqual(enteredStates(outcome), ['pc_power_cycling']);
    assert.equal(readyDevice().state.state, 'ready');
    assert.equal(readyDevice().state.boot, null, 'the self-test boot ended');
  });
});

describe('device: operator commands', () => {
  const device = () => readyDevice();
  const now = T0 + 60_000;

  it('sets comments and environment', () => {
    device()
      .when({ type: 'SetComments', comments: 'flaky usb', nowMs: now })
      .thenEvents([{ type: 'DeviceCommentsSet', data: { comments: 'flaky usb', atMs: now } }])
      .thenState((state) => state.comments === 'flaky usb')
      .when({ type: 'SetEnvironment', environment: 'staging', nowMs: now })
      .thenEvents([{ type: 'DeviceEnvironmentSet', data: { environment: 'staging', atMs: now } }])
      .thenState((state) => state.inventory?.environment === 'staging');
  });

  it('BMM power cycle: stores the boot config, then asks for the cycle; without one, only the cycle', () => {
    device()
      .when({ type: 'BmmPowerCycle', pxeConfig: 'panda-x', bootConfig: '{"a":1}', nowMs: now })
      .thenEvents([
        { type: 'DeviceBootConfigSet', data: { bootConfig: '{"a":1}', atMs: now } },
        { type: 'PowerCycleRequested', data: { pxeConfig: 'panda-x', atMs: now } },
      ])
      .thenState((state) => state.bootConfig === '{"a":1}' && state.state === 'ready');
    device()
      .when({ type: 'BmmPowerCycle', pxeConfig: null, bootConfig: null, nowMs: now })
      .thenEvents([{ type: 'PowerCycleRequested', data: { pxeConfig: null, atMs: now } }]);
  });

  it('records the outcome of a power cycle outside the state machine, whatever the state', () => {
    device()
      .when({ type: 'RecordPowerCycle', ok: false, error: 'PDU timeout', nowMs: now })
      .thenEvents([{ type: 'PowerCycleFailed', data: { error: 'PDU timeout', atMs: now } }])
      .thenState(inState('ready'));
    device()
      .when({ type: 'RecordPowerCycle', ok: true, error: null, nowMs: now })
      .thenEvents([{ type: 'PowerCycleSucceeded', data: { atMs: now } }]);
  });

  it('power off, clear PXE and log are recorded without changing the state', () => {
    device()
      .when({ type: 'PowerOff', nowMs: now })
      .thenEvents([{ type: 'PowerOffRequested', data: { atMs: now } }])
      .thenState(inState('ready'));
    device()
      .when({ type: 'ClearPxe', reason: 'operator', nowMs: now })
      .thenEvents([{ type: 'PxeClearRequested', data: { reason: 'operator', atMs: now } }]);
    device()
      .when({ type: 'Log', source: 'bmm', message: 'power off: ok', nowMs: now })
      .thenEvents([{ type: 'DeviceLogged', data: { source: 'bmm', message: 'power off: ok', atMs: now } }]);
  });

  it('a history replays to the same state it was built with', () => {
    const history = readyDevice().pleaseImage().powerResult(true);
    const replayed = history.events.reduce((state, event) => deviceDecider.evolve(state, event), deviceDecider.initialState);
    assert.deepEqual(replayed, history.state);
  });
});
