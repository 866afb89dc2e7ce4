import { requestHolder } from '../../../src/dialects/mozpool/domain/request-holder.js';
import { sameHolder } from '../../../src/domain/holders/holder.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeviceCommand } from '../../../src/domain/device/device-commands.js';
import { PXE, T0, enteredStates, eventsOf, inState, readyDevice, registeredDevice, type DeviceHistory } from './device-fixtures.js';

type Please = 'image' | 'power_cycle' | 'self_test' | 'maintenance';
const PLEASES: readonly Please[] = ['image', 'power_cycle', 'self_test', 'maintenance'];

function please(kind: Please, nowMs: number): DeviceCommand {
  switch (kind) {
    case 'image':
      return { type: 'PleaseImage', image: 'android', bootConfig: '{}', pxeConfig: PXE, nowMs };
    case 'power_cycle':
      return { type: 'PleasePowerCycle', nowMs };
    case 'self_test':
      return { type: 'PleaseSelfTest', nowMs };
    case 'maintenance':
      return { type: 'PleaseStartMaintenance', nowMs };
  }
}

/** The states a please command leads to (the image chain passes start_pxe_boot on its way). */
const LEADS_TO: Record<Please, string[]> = {
  image: ['start_pxe_boot', 'pxe_power_cycling'],
  power_cycle: ['pc_power_cycling'],
  self_test: ['start_self_test'],
  maintenance: ['start_maintenance'],
};

/** A ready device forced into `state` (forced moves take any target). */
const deviceIn = (state: string): DeviceHistory => (state === 'new' ? registeredDevice() : readyDevice().force('ready', state));

const ALL = new Set(PLEASES);
const SELF_TEST_AND_MAINTENANCE = new Set<Please>(['self_test', 'maintenance']);
const NONE = new Set<Please>();

/** NOTES.md: which please commands each state accepts. */
const ACCEPTED: Record<string, ReadonlySet<Please>> = {
  new: ALL,
  ready: ALL,
  troubleshooting: ALL,
  maintenance_mode: SELF_TEST_AND_MAINTENANCE,
  self_test_running: SELF_TEST_AND_MAINTENANCE,
  failed_pxe_booting: SELF_TEST_AND_MAINTENANCE,
  failed_power_cycling: SELF_TEST_AND_MAINTENANCE,
  failed_android_extracting: SELF_TEST_AND_MAINTENANCE,
  locked_out: NONE,
  pxe_power_cycling: NONE,
  pxe_booting: NONE,
  mobile_init_started: NONE,
  android_downloading: NONE,
  verifying: NONE,
  pc_power_cycling: NONE,
  pc_pinging: NONE,
  start_self_test: NONE,
  start_maintenance: NONE,
};

describe('device: please commands per state (NOTES.md)', () => {
  for (const [state, accepted] of Object.entries(ACCEPTED)) {
    for (const kind of PLEASES) {
      const verdict = accepted.has(kind) ? 'accepts' : 'refuses';
      it(`${state} ${verdict} please_${kind}`, () => {
        const history = deviceIn(state);
        assert.equal(history.state.state, state);
        const outcome = history.when(please(kind, history.nowMs + 1_000));
        if (!accepted.has(kind)) {
          outcome.thenRejected('wrong_state', new RegExp(state)).thenState(inState(state));
          return;
        }
        assert.deepEqual(enteredStates(outcome), LEADS_TO[kind]);
        const [started] = eventsOf(outcome, 'BootStarted');
        assert.equal(started?.data.kind, kind);
        const entries = eventsOf(outcome, 'DeviceStateEntered');
        assert.equal(entries[0]?.data.clearedCounters, true, 'a please command starts with cleared counters');
        assert.equal(entries[0]?.data.trigger, 'please');
        outcome.thenState((after) => Object.keys(after.counters).every((key) => LEADS_TO[kind].includes(key)), 'only the new states are counted');
      });
    }
  }

  it('please_image records what is being installed and enters start_pxe_boot, then pxe_power_cycling', () => {
    const history = readyDevice();
    const at = history.nowMs + 1;
    history
      .when({ type: 'PleaseImage', image: 'android', bootConfig: '{"b2gbase":"x"}', pxeConfig: PXE, nowMs: at })
      .thenEventTypes('DeviceImagingRequested', 'BootStarted', 'DeviceStateEntered', 'DeviceStateEntered')
      .thenState((state) => {
        assert.deepEqual([state.nextImage, state.nextBootConfig, state.pxeConfig], ['android', '{"b2gbase":"x"}', PXE]);
        assert.deepEqual(state.boot, { id: `${state.name}.${history.state.seq + 1}`, kind: 'image', startedAtMs: at });
        assert.equal(state.timeoutAtMs, at + 60_000);
      });
  });

  it('please_image without a PXE config for the image is logged and changes nothing', () => {
    readyDevice()
      .when({ type: 'PleaseImage', image: 'android', bootConfig: '{}', pxeConfig: null, nowMs: T0 })
      .thenEventTypes('DeviceLogged')
      .thenState(inState('ready'))
      .thenState((state) => state.nextImage === null && state.boot === null);
  });

  it('a please command in a refusing state is refused even without a PXE config', () => {
    readyDevice().force('ready', 'locked_out').when({ type: 'PleaseImage', image: 'android', bootConfig: '{}', pxeConfig: null, nowMs: T0 }).thenRejected('wrong_state');
  });

  it('a please command in the middle of a boot ends that boot before starting the next one', () => {
    const history = readyDevice()
      .send((_, nowMs) => ({ type: 'PleaseSelfTest', nowMs }))
      .continueWith('self-test-pxe')
      .powerResult(true)
      .report('self_test_running');
    const running = history.state.boot;
    assert.ok(running, 'the self-test boot is running');
    const outcome = history.when({ type: 'PleaseStartMaintenance', nowMs: T0 }).thenEventTypes('BootEnded', 'BootStarted', 'DeviceStateEntered');
    assert.deepEqual(eventsOf(outcome, 'BootEnded')[0]?.data, { bootId: running.id, outcome: 'failed', state: 'self_test_running', atMs: T0 });
  });
});

describe('device: forced state changes', () => {
  it('move from the named old state', () => {
    const outcome = readyDevice().when({ type: 'ForceState', from: 'ready', to: 'troubleshooting', nowMs: T0 }).thenState(inState('troubleshooting'));
    assert.deepEqual(eventsOf(outcome, 'DeviceStateEntered')[0]?.data.trigger, 'forced');
  });

  it('are refused (wrong_state) from any other state', () => {
    readyDevice().when({ type: 'ForceState', from: 'failed_pxe_booting', to: 'ready', nowMs: T0 }).thenRejected('wrong_state', /ready/).thenState(inState('ready'));
  });

  it('into ready end the boot in progress as complete', () => {
    const history = readyDevice().pleaseImage().powerResult(true);
    const outcome = history.when({ type: 'ForceState', from: 'pxe_booting', to: 'ready', nowMs: T0 }).thenEventTypes('DeviceStateEntered', 'BootEnded');
    assert.equal(eventsOf(outcome, 'BootEnded')[0]?.data.outcome, 'complete');
  });
});

describe('device: requests attached', () => {
  const now = T0 + 1_000;

  it('attaches to a free device, and re-attaching the same request changes nothing', () => {
    readyDevice()
      .when({ type: 'AttachHolder', holder: requestHolder(7), nowMs: now })
      .thenEvents([{ type: 'DeviceHolderAttached', data: { holder: requestHolder(7), atMs: now } }])
      .thenState((state) => sameHolder(state.holder, requestHolder(7)))
      .when({ type: 'AttachHolder', holder: requestHolder(7), nowMs: now })
      .thenNothing()
      .when({ type: 'AttachHolder', holder: requestHolder(8), nowMs: now })
      .thenRejected('not_free', /request 7/);
  });

  it('refuses to attach a device that is not ready, or retired', () => {
    registeredDevice()
      .when({ type: 'AttachHolder', holder: requestHolder(7), nowMs: now })
      .thenRejected('not_free', /new/);
    readyDevice()
      .pleaseImage()
      .when({ type: 'AttachHolder', holder: requestHolder(7), nowMs: now })
      .thenRejected('not_free', /pxe_power_cycling/);
    readyDevice()
      .send({ type: 'Retire', nowMs: now })
      .when({ type: 'AttachHolder', holder: requestHolder(7), nowMs: now })
      .thenRejected('not_free');
  });

  it('an attached ready device does not verify (no deadline)', () => {
    const history = readyDevice().attach(7);
    assert.equal(history.decider.nextDeadline?.(history.state), undefined);
  });

  it('detaches; in ready it re-enters ready to be verified again', () => {
    const history = readyDevice().attach(7);
    history
      .when({ type: 'DetachHolder', holder: requestHolder(7), reason: 'returned', nowMs: now })
      .thenEventTypes('DeviceHolderDetached', 'DeviceStateEntered')
      .thenState((state) => state.holder === null && state.state === 'ready' && state.timeoutAtMs === now + 600_000);
  });

  it('detaching elsewhere than ready leaves the state alone', () => {
    readyDevice()
      .attach(7)
      .pleaseImage()
      .when({ type: 'DetachHolder', holder: requestHolder(7), reason: 'returned', nowMs: now })
      .thenEventTypes('DeviceHolderDetached')
      .thenState(inState('pxe_power_cycling'));
  });

  it('detaching a request the device is not attached to changes nothing (idempotent release)', () => {
    readyDevice()
      .attach(7)
      .when({ type: 'DetachHolder', holder: requestHolder(8), reason: 'returned', nowMs: now })
      .thenNothing()
      .thenState((state) => sameHolder(state.holder, requestHolder(7)));
    readyDevice()
      .when({ type: 'DetachHolder', holder: requestHolder(8), reason: 'returned', nowMs: now })
      .thenNothing();
    // A second detach of the same request (a release sent again) is a no-op.
    readyDevice()
      .attach(7)
      .send({ type: 'DetachHolder', holder: requestHolder(7), reason: 'returned', nowMs: now })
      .when({ type: 'DetachHolder', holder: requestHolder(7), reason: 'returned', nowMs: now })
      .thenNothing();
  });
});
