import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDeviceDecider } from '../../../src/domain/device/device-decider.js';
import { DEFAULT_DEVICE_LIMITS } from '../../../src/domain/device/device-limits.js';
import { T0, enteredStates, eventsOf, inState, readyDevice, type DeviceHistory } from './device-fixtures.js';

/** Ready's verify fails; the self-test that follows (PXE self-test image) passes: the device is ready again. */
function failVerifyThenPassSelfTest(history: DeviceHistory): DeviceHistory {
  return history.verifyResult(false).continueWith('selftest-pxe').powerResult(true).report('self_test_running', 'self_test_ok');
}

describe('device: a device that passes its self-test but keeps failing verify', () => {
  it('self-tests 3 times in a row (MozPool-style default), then fails and waits for a human', () => {
    const history = readyDevice().times(3, failVerifyThenPassSelfTest);
    assert.equal(history.state.state, 'ready');
    assert.equal(history.state.selfTestVerifyRounds, 3);
    const outcome = history.when((state, nowMs) => ({ type: 'VerifyResult', seq: state.seq, ok: false, error: 'connection refused', nowMs }));
    outcome.thenEventTypes('VerifyFailed', 'DeviceStateEntered').thenState(inState('failed_self_test_verify'));
    outcome.thenState((state) => state.timeoutAtMs === null, 'no deadline: it waits for a human');
    assert.equal(eventsOf(outcome, 'DeviceStateEntered')[0]?.data.reason, 'verify failed after 3 passed self-tests in a row: connection refused');
  });

  it('the bound is configuration (lifeguardLimits.self_test_verify.maxCount)', () => {
    const decider = createDeviceDecider({ ...DEFAULT_DEVICE_LIMITS, self_test_verify: { timeoutMs: null, maxCount: 1 } });
    const history = failVerifyThenPassSelfTest(readyDevice(decider));
    history.when((state, nowMs) => ({ type: 'VerifyResult', seq: state.seq, ok: false, error: 'refused', nowMs })).thenState(inState('failed_self_test_verify'));
    const unbounded = createDeviceDecider({ ...DEFAULT_DEVICE_LIMITS, self_test_verify: { timeoutMs: null, maxCount: null } });
    const forever = readyDevice(unbounded).times(10, failVerifyThenPassSelfTest);
    forever.when((state, nowMs) => ({ type: 'VerifyResult', seq: state.seq, ok: false, error: 'refused', nowMs })).thenState(inState('start_self_test'));
  });

  it('a full ready period (verify passed, ready timed out), a please or a forced move starts the count again', () => {
    const proofs: [string, (history: DeviceHistory) => DeviceHistory][] = [
      ['ready timeout', (history) => history.timeout()],
      [
        'please_self_test',
        (history) =>
          history
            .send((_, nowMs) => ({ type: 'PleaseSelfTest', nowMs }))
            .continueWith('selftest-pxe')
            .powerResult(true)
            .report('self_test_running', 'self_test_ok'),
      ],
      ['forced', (history) => history.force('ready', 'troubleshooting').force('troubleshooting', 'ready')],
    ];
    for (const [why, prove] of proofs) {
      const history = prove(readyDevice().times(3, failVerifyThenPassSelfTest));
      assert.equal(history.state.selfTestVerifyRounds, 0, why);
      const outcome = history.when((state, nowMs) => ({ type: 'VerifyResult', seq: state.seq, ok: false, error: 'refused', nowMs }));
      assert.deepEqual(enteredStates(outcome), ['start_self_test'], why);
    }
  });

  it('a human can still ask for a self-test in failed_self_test_verify', () => {
    const failed = readyDevice().times(3, failVerifyThenPassSelfTest).verifyResult(false);
    assert.equal(failed.state.state, 'failed_self_test_verify');
    failed.when({ type: 'PleaseSelfTest', nowMs: T0 }).thenState(inState('start_self_test'));
  });
});

describe('device: the live image it runs (what verify checks in ready)', () => {
  it('after a PXE self-test the device runs the self-test image, until its next power cycle', () => {
    const selfTested = readyDevice().pleaseImage('android').powerResult(true).report('mobile_init_started', 'android_downloading', 'android_extracting', 'android_rebooting').verifyResult(true);
    assert.deepEqual([selfTested.state.image, selfTested.state.liveImage], ['android', null]);
    failVerifyThenPassSelfTest(selfTested);
    assert.deepEqual([selfTested.state.state, selfTested.state.image, selfTested.state.liveImage], ['ready', 'android', 'self-test']);
    selfTested.send((_, nowMs) => ({ type: 'PleasePowerCycle', nowMs }));
    assert.equal(selfTested.state.liveImage, null);
  });

  it('maintenance runs the maintenance image; a BMM power cycle or power off ends it', () => {
    const maintenance = () =>
      readyDevice()
        .send((_, nowMs) => ({ type: 'PleaseStartMaintenance', nowMs }))
        .continueWith('maint-pxe')
        .powerResult(true)
        .report('maint_mode');
    assert.equal(maintenance().state.liveImage, 'maintenance');
    assert.equal(maintenance().send((_, nowMs) => ({ type: 'BmmPowerCycle', pxeConfig: null, bootConfig: null, nowMs })).state.liveImage, null);
    assert.equal(maintenance().send((_, nowMs) => ({ type: 'PowerOff', nowMs })).state.liveImage, null);
  });

  it('a self-test without a self-test PXE config (plain power cycle) leaves the installed image running', () => {
    assert.equal(readyDevice().state.liveImage, null);
  });
});
