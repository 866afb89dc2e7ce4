import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { givenDecider } from '../../support/given-when-then.js';
import { NAME, T0, deviceDecider, inventoryOf, readyDevice, registeredDevice } from './device-fixtures.js';

describe('device: registration of an already deployed device (LBaaS create)', () => {
  it('enters ready at once, free, without a self-test', () => {
    givenDecider(deviceDecider)
      .when({ type: 'Register', name: NAME, inventory: inventoryOf(), nowMs: T0, deployed: true, onlyNew: true })
      .thenEventTypes('DeviceRegistered', 'DeviceStateEntered')
      .thenState((state) => assert.deepEqual([state.state, state.holder, state.boot], ['ready', null, null]));
  });

  it('with onlyNew, refuses a name registered and not retired, whatever its inventory', () => {
    registeredDevice()
      .when({ type: 'Register', name: NAME, inventory: inventoryOf(), nowMs: T0 + 1, onlyNew: true })
      .thenRejected('already_registered');
    readyDevice()
      .when({ type: 'Register', name: NAME, inventory: inventoryOf({ fqdn: '10.0.0.1' }), nowMs: T0 + 1, onlyNew: true })
      .thenRejected('already_registered');
  });

  it('with onlyNew, takes a retired name back, deployed: ready again', () => {
    registeredDevice()
      .send({ type: 'Retire', nowMs: T0 })
      .when({ type: 'Register', name: NAME, inventory: inventoryOf(), nowMs: T0 + 3, deployed: true, onlyNew: true })
      .thenEventTypes('DeviceInventoryUpdated', 'DeviceStateEntered')
      .thenState((state) => !state.retired && state.state === 'ready');
  });
});
