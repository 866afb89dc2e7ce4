import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeviceEvent } from '../../src/domain/device/device-events.js';
import { initialDeviceState, type DeviceState } from '../../src/domain/device/device-state.js';
import type { LifeGuardState } from '../../src/domain/device/lifeguard-states.js';
import type { Holder } from '../../src/domain/holders/holder.js';
import { reactToHeldDevice } from '../../src/dialects/mozpool/domain/request-holder.js';
import { createHolderDispatcher, type HolderReactions } from '../../src/lab/holder-reactions.js';

const entered = (to: LifeGuardState, atMs = 5): DeviceEvent => ({
  type: 'DeviceStateEntered',
  data: { from: 'verifying', to, trigger: 'verify_result', reason: '', atMs, timeoutAtMs: null, counter: 1, clearedCounters: false },
});
const heldBy = (holder: Holder | null): DeviceState => ({ ...initialDeviceState, name: 'panda-0001', holder });

/** A holder kind whose reactions echo each state entered, recording what was delivered to whom. */
function recordingReactions(kind: Holder['kind'], delivered: string[]): HolderReactions<string> {
  return {
    kind,
    react: (event) => (event.type === 'DeviceStateEntered' ? [event.data.to] : []),
    deliver: async (holderId, command) => void delivered.push(`${kind}/${holderId}: ${command}`),
  };
}

describe('holder dispatcher', () => {
  it('delivers what the reactions of the holding kind derive, in order, to that holder only', async () => {
    const delivered: string[] = [];
    const dispatcher = createHolderDispatcher();
    dispatcher.register(recordingReactions('vmpooler_pool', delivered));
    dispatcher.register(recordingReactions('drydock_deployment', delivered));
    const deliveries = dispatcher.deliveries(
      heldBy({ kind: 'vmpooler_pool', id: 'centos' }),
      [entered('verifying'), { type: 'DeviceLogged', data: { source: 'x', message: 'y', atMs: 1 } }, entered('ready')],
      {},
    );
    for (const delivery of deliveries) await delivery.run();
    assert.deepEqual(delivered, ['vmpooler_pool/centos: verifying', 'vmpooler_pool/centos: ready']);
  });

  it('has nothing to deliver for a free device or a kind nobody registered', () => {
    const dispatcher = createHolderDispatcher();
    dispatcher.register(recordingReactions('vmpooler_pool', []));
    assert.deepEqual(dispatcher.deliveries(heldBy(null), [entered('ready')], {}), []);
    assert.deepEqual(dispatcher.deliveries(heldBy({ kind: 'lbaas_loadbalancer', id: '1' }), [entered('ready')], {}), []);
  });

  it('refuses a second registration of one kind', () => {
    const dispatcher = createHolderDispatcher();
    dispatcher.register(recordingReactions('vmpooler_pool', []));
    assert.throws(() => dispatcher.register(recordingReactions('vmpooler_pool', [])), /registered twice/);
  });
});

describe('MozPool request as holder: reactions', () => {
  it('tells the request how imaging went on operation_complete or a failed state, at the time of the entry', () => {
    const device = heldBy({ kind: 'mozpool_request', id: '7' });
    assert.deepEqual(reactToHeldDevice(entered('operation_complete', 42), device), [{ type: 'ImagingResult', device: 'panda-0001', result: 'complete', nowMs: 42 }]);
    assert.deepEqual(reactToHeldDevice(entered('failed_pxe_booting', 43), device), [{ type: 'ImagingResult', device: 'panda-0001', result: 'failed-bad-device', nowMs: 43 }]);
    assert.deepEqual(reactToHeldDevice(entered('pxe_booting'), device), []);
    assert.deepEqual(reactToHeldDevice({ type: 'DeviceLogged', data: { source: 'x', message: 'y', atMs: 1 } }, device), []);
  });
});
