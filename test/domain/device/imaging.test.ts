import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LifeGuardState } from '../../../src/domain/device/lifeguard-states.js';
import { PXE, T0, enteredStates, eventsOf, inState, pxeBootingDevice, readyDevice } from './device-fixtures.js';

describe('device: an imaging sequence reaches ready', () => {
  for (const image of ['android', 'ubuntu']) {
    it(`please_image ${image} … verifying → operation_complete → ready, image installed, boot complete`, () => {
      const history = readyDevice();
      const bootConfig = '{"b2gbase":"http://builds/1"}';
      const start = history.nowMs + 1_000;
      history.advance(1_000);

      const pleased = history.when({ type: 'PleaseImage', image, bootConfig, pxeConfig: PXE, nowMs: start });
      assert.deepEqual(enteredStates(pleased), ['start_pxe_boot', 'pxe_power_cycling']);
      const bootId = eventsOf(pleased, 'BootStarted')[0]?.data.bootId;
      history.send({ type: 'PleaseImage', image, bootConfig, pxeConfig: PXE, nowMs: start });

      const powered = history.when((state, nowMs) => ({ type: 'PowerCycleResult', seq: state.seq, ok: true, error: null, failure: 'retry', nowMs }));
      powered.thenEventTypes('PowerCycleSucceeded', 'DeviceStateEntered').thenState(inState('pxe_booting'));
      history.powerResult(true);

      const steps: [string, string[]][] = [
        ['mobile_init_started', ['mobile_init_started']],
        [`${image}_downloading`, [`${image}_downloading`]],
        [`${image}_extracting`, [`${image}_extracting`]],
        [`${image}_rebooting`, [`${image}_rebooting`, 'verifying']],
      ];
      for (const [event, states] of steps) {
        const outcome = history.when({ type: 'ReportEvent', event, nowMs: history.nowMs });
        assert.deepEqual(eventsOf(outcome, 'DeviceEventReported')[0]?.data.ignored, false, event);
        assert.deepEqual(enteredStates(outcome), states, event);
        history.report(event);
      }

      const end = history.nowMs + 5_000;
      history
        .when((state) => ({ type: 'VerifyResult', seq: state.seq, ok: true, error: null, nowMs: end }))
        .thenEvents([
          {
            type: 'DeviceStateEntered',
            data: { from: 'verifying', to: 'operation_complete', trigger: 'verify_result', reason: 'device is up', atMs: end, timeoutAtMs: null, counter: 1, clearedCounters: false },
          },
          { type: 'DeviceImageInstalled', data: { image, bootConfig, atMs: end } },
          { type: 'BootEnded', data: { bootId: bootId!, outcome: 'complete', state: 'operation_complete', atMs: end } },
          {
            type: 'DeviceStateEntered',
            data: { from: 'operation_complete', to: 'ready', trigger: 'continue', reason: 'operation complete', atMs: end, timeoutAtMs: end + 600_000, counter: 1, clearedCounters: false },
          },
        ])
        .thenState((state) => {
          assert.equal(state.state, 'ready');
          assert.deepEqual([state.image, state.bootConfig, state.nextImage, state.pxeConfig, state.boot], [image, bootConfig, null, null, null]);
        });
    });
  }

  it('a failed verify in verifying is recorded and waits for the timeout', () => {
    const history = pxeBootingDevice().report('mobile_init_started', 'android_downloading', 'android_extracting', 'android_rebooting');
    history
      .when((state, nowMs) => ({ type: 'VerifyResult', seq: state.seq, ok: false, error: 'refused', nowMs }))
      .thenEvents([{ type: 'VerifyFailed', data: { error: 'refused', atMs: history.nowMs } }])
      .thenState(inState('verifying'));
  });
});

describe('device: second-stage events', () => {
  it('unknown or out-of-order events are logged (ignored: true) and change nothing', () => {
    const cases: [LifeGuardState, string][] = [
      ['pxe_booting', 'android_downloading'],
      ['pxe_booting', 'self_test_ok'],
      ['pxe_booting', 'bogus'],
      ['mobile_init_started', 'mobile_init_started'],
      ['mobile_init_started', 'android_extracting'],
    ];
    for (const [state, event] of cases) {
      const history = state === 'pxe_booting' ? pxeBootingDevice() : pxeBootingDevice().report('mobile_init_started');
      history
        .when({ type: 'ReportEvent', event, nowMs: T0 })
        .thenEvents([{ type: 'DeviceEventReported', data: { event, state, ignored: true, atMs: T0 } }])
        .thenState(inState(state));
    }
    readyDevice().when({ type: 'ReportEvent', event: 'android_rebooting', nowMs: T0 }).thenEventTypes('DeviceEventReported').thenState(inState('ready'));
    pxeBootingDevice().report('mobile_init_started', 'android_downloading').when({ type: 'ReportEvent', event: 'android_rebooting', nowMs: T0 }).thenEventTypes('DeviceEventReported');
  });

  it('maint_mode in pxe_booting or mobile_init_started → maintenance_mode, ending the boot', () => {
    const maintenance = readyDevice()
      .send((_, nowMs) => ({ type: 'PleaseStartMaintenance', nowMs }))
      .continueWith('maint-pxe')
      .powerResult(true);
    maintenance.when({ type: 'ReportEvent', event: 'maint_mode', nowMs: T0 }).thenEventTypes('DeviceEventReported', 'DeviceStateEntered', 'BootEnded').thenState(inState('maintenance_mode'));
    maintenance.report('mobile_init_started').when({ type: 'ReportEvent', event: 'maint_mode', nowMs: T0 }).thenState(inState('maintenance_mode'));
  });

  it('self_test_running → self_test_running; self_test_ok → ready with the boot complete', () => {
    const history = readyDevice()
      .send((_, nowMs) => ({ type: 'PleaseSelfTest', nowMs }))
      .continueWith('selftest-pxe')
      .powerResult(true)
      .report('self_test_running');
    assert.equal(history.state.state, 'self_test_running');
    assert.equal(history.state.timeoutAtMs, history.nowMs + 3_600_000);
    const outcome = history.when({ type: 'ReportEvent', event: 'self_test_ok', nowMs: T0 }).thenEventTypes('DeviceEventReported', 'DeviceStateEntered', 'BootEnded').thenState(inState('ready'));
    assert.equal(eventsOf(outcome, 'BootEnded')[0]?.data.outcome, 'complete');
  });

  it('self_test_running: a failure report or the timeout → failed_self_test, which waits for a human', () => {
    const running = () =>
      readyDevice()
        .send((_, nowMs) => ({ type: 'PleaseSelfTest', nowMs }))
        .continueWith('selftest-pxe')
        .powerResult(true)
        .report('self_test_running');
    running().when({ type: 'ReportEvent', event: 'failed_self_test', nowMs: T0 }).thenState(inState('failed_self_test'));
    const outcome = running().whenTimeout().thenEventTypes('DeviceStateEntered', 'BootEnded').thenState(inState('failed_self_test'));
    assert.equal(eventsOf(outcome, 'BootEnded')[0]?.data.outcome, 'failed');
    outcome.thenState((state) => state.timeoutAtMs === null);
  });
});

describe('device: self-test and maintenance starts', () => {
  it('a ready device whose verify fails starts a self-test', () => {
    readyDevice()
      .timeout()
      .when((state, nowMs) => ({ type: 'VerifyResult', seq: state.seq, ok: false, error: 'no ping', nowMs }))
      .thenEventTypes('VerifyFailed', 'BootStarted', 'DeviceStateEntered')
      .thenState(inState('start_self_test'))
      .thenState((state) => state.boot?.kind === 'self_test' && Object.keys(state.counters).join() === 'start_self_test');
  });

  it('an attached ready device whose verify fails stays ready', () => {
    const history = readyDevice();
    const seq = history.state.seq;
    history.attach(3).when({ type: 'VerifyResult', seq, ok: false, error: 'no ping', nowMs: T0 }).thenEventTypes('VerifyFailed').thenState(inState('ready'));
  });

  it('a ready device whose verify succeeds changes nothing (no_change)', () => {
    readyDevice()
      .when((state, nowMs) => ({ type: 'VerifyResult', seq: state.seq, ok: true, error: null, nowMs }))
      .thenRejected('no_change');
  });

  it('start_self_test: Continue with a PXE config images the self-test image', () => {
    readyDevice()
      .send((_, nowMs) => ({ type: 'PleaseSelfTest', nowMs }))
      .when((state, nowMs) => ({ type: 'Continue', seq: state.seq, pxeConfig: 'selftest-pxe', nowMs }))
      .thenEventTypes('DeviceImagingRequested', 'DeviceStateEntered')
      .thenState(inState('pxe_power_cycling'))
      .thenState((state) => state.nextImage === 'self-test' && state.pxeConfig === 'selftest-pxe');
  });

  it('start_self_test: Continue without one power-cycles plainly', () => {
    readyDevice()
      .send((_, nowMs) => ({ type: 'PleaseSelfTest', nowMs }))
      .when((state, nowMs) => ({ type: 'Continue', seq: state.seq, pxeConfig: null, nowMs }))
      .thenEventTypes('DeviceStateEntered')
      .thenState(inState('pc_power_cycling'));
  });

  it('start_maintenance: Continue images the maintenance image, or enters maintenance_mode without one', () => {
    const starting = () => readyDevice().send((_, nowMs) => ({ type: 'PleaseStartMaintenance', nowMs }));
    starting()
      .when((state, nowMs) => ({ type: 'Continue', seq: state.seq, pxeConfig: 'maint-pxe', nowMs }))
      .thenState(inState('pxe_power_cycling'))
      .thenState((state) => state.nextImage === 'maintenance');
    starting()
      .when((state, nowMs) => ({ type: 'Continue', seq: state.seq, pxeConfig: null, nowMs }))
      .thenEventTypes('DeviceStateEntered', 'BootEnded')
      .thenState(inState('maintenance_mode'));
  });

  it('Continue is refused when stale or outside start_*', () => {
    const history = readyDevice().send((_, nowMs) => ({ type: 'PleaseSelfTest', nowMs }));
    history.when((state, nowMs) => ({ type: 'Continue', seq: state.seq - 1, pxeConfig: null, nowMs })).thenRejected('stale_result');
    readyDevice()
      .when((state, nowMs) => ({ type: 'Continue', seq: state.seq, pxeConfig: null, nowMs }))
      .thenRejected('stale_result');
  });

  it('start_* states time out into a retry, and fail past 5 entries', () => {
    const history = readyDevice()
      .send((_, nowMs) => ({ type: 'PleaseSelfTest', nowMs }))
      .times(4, (h) => h.timeout());
    assert.equal(history.state.counters.start_self_test, 5);
    history.whenTimeout().thenState(inState('start_self_test'));
    history.timeout().whenTimeout().thenState(inState('failed_start_self_test'));
  });
});
