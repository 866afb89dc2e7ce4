import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDeviceDecider } from '../../../src/domain/device/device-decider.js';
import { DEFAULT_DEVICE_LIMITS, genericStateKey, limitOf } from '../../../src/domain/device/device-limits.js';
import { T0, enteredStates, eventsOf, inState, pxeBootingDevice, readyDevice, type DeviceHistory } from './device-fixtures.js';

/** Brings an imaging device (in pxe_power_cycling) back to `state` along the chain. */
function reach(history: DeviceHistory, state: string): DeviceHistory {
  const path: Record<string, string[]> = {
    pxe_booting: [],
    mobile_init_started: ['mobile_init_started'],
    android_downloading: ['mobile_init_started', 'android_downloading'],
    android_extracting: ['mobile_init_started', 'android_downloading', 'android_extracting'],
  };
  return history.powerResult(true).report(...(path[state] ?? []));
}

describe('device: boot-chain timeouts go back to pxe_power_cycling and fail past the limit', () => {
  const chain: [string, number, number][] = [
    ['pxe_booting', 30, 180_000],
    ['mobile_init_started', 10, 10_000],
    ['android_downloading', 3, 180_000],
    ['android_extracting', 10, 600_000],
  ];
  for (const [state, limit, timeoutMs] of chain) {
    it(`${state}: ${timeoutMs / 1000} s, ${limit} retries, then failed_${state}`, () => {
      const history = reach(readyDevice().pleaseImage(), state);
      assert.equal(history.state.timeoutAtMs, history.nowMs + timeoutMs);
      history.times(limit - 1, (h) => reach(h.timeout(), state));
      assert.equal(history.state.counters[state], limit);
      const retry = history.whenTimeout().thenState(inState('pxe_power_cycling'));
      assert.deepEqual(eventsOf(retry, 'DeviceStateEntered')[0]?.data.trigger, 'timeout');
      reach(history.timeout(), state);
      assert.equal(history.state.counters[state], limit + 1);
      const failed = history
        .whenTimeout()
        .thenEventTypes('DeviceStateEntered', 'BootEnded')
        .thenState(inState(`failed_${state}`));
      assert.equal(eventsOf(failed, 'BootEnded')[0]?.data.outcome, 'failed');
    });
  }

  it('failed_<image>_downloading starts a self-test at once; failed_<image>_extracting waits for a human', () => {
    const downloading = reach(readyDevice().pleaseImage(), 'android_downloading')
      .times(3, (h) => reach(h.timeout(), 'android_downloading'))
      .timeout();
    assert.equal(downloading.state.state, 'failed_android_downloading');
    assert.equal(downloading.state.timeoutAtMs, downloading.nowMs);
    downloading.whenTimeout().thenEventTypes('BootStarted', 'DeviceStateEntered').thenState(inState('start_self_test'));
    const extracting = readyDevice().pleaseImage().powerResult(true).force('pxe_booting', 'failed_android_extracting');
    assert.equal(extracting.decider.nextDeadline?.(extracting.state), undefined);
  });
});

describe('device: power cycling', () => {
  for (const [please, state, next] of [
    ['image', 'pxe_power_cycling', 'pxe_booting'],
    ['power_cycle', 'pc_power_cycling', 'pc_rebooting'],
  ] as const) {
    it(`${state}: a failure is logged and retried on the state's timeout; past 200 entries it fails; success → ${next}`, () => {
      const start = () => (please === 'image' ? readyDevice().pleaseImage() : readyDevice().send((_, nowMs) => ({ type: 'PleasePowerCycle', nowMs })));
      const history = start();
      assert.equal(history.state.timeoutAtMs, history.nowMs + 60_000);
      history.when((s, nowMs) => ({ type: 'PowerCycleResult', seq: s.seq, ok: true, error: null, failure: 'retry', nowMs })).thenState(inState(next));
      history
        .when((s, nowMs) => ({ type: 'PowerCycleResult', seq: s.seq, ok: false, error: 'relay timeout', failure: 'retry', nowMs }))
        .thenEventTypes('PowerCycleFailed')
        .thenState(inState(state));
      history.whenTimeout().thenEventTypes('DeviceStateEntered').thenState(inState(state));
      history.times(200, (h) => h.powerResult(false).timeout());
      assert.equal(history.state.counters[state], 201);
      history.powerResult(false);
      history
        .whenTimeout()
        .thenEventTypes('DeviceStateEntered', 'BootEnded')
        .thenState(inState(`failed_${state}`))
        .thenState((s) => s.timeoutAtMs === null, 'power failures wait for a human');
    });
  }

  it('no power info → failed_power_cycling at once', () => {
    readyDevice()
      .pleaseImage()
      .when((s, nowMs) => ({ type: 'PowerCycleResult', seq: s.seq, ok: false, error: 'no power info', failure: 'no_power_info', nowMs }))
      .thenEventTypes('PowerCycleFailed', 'DeviceStateEntered', 'BootEnded')
      .thenState(inState('failed_power_cycling'));
    readyDevice()
      .send((_, nowMs) => ({ type: 'PleasePowerCycle', nowMs }))
      .when((s, nowMs) => ({ type: 'PowerCycleResult', seq: s.seq, ok: false, error: null, failure: 'no_power_info', nowMs }))
      .thenState(inState('failed_power_cycling'));
  });

  it('missing PXE config → failed_pxe_booting at once', () => {
    const history = readyDevice().pleaseImage();
    const outcome = history
      .when((s, nowMs) => ({ type: 'PowerCycleResult', seq: s.seq, ok: false, error: 'PXE config gone', failure: 'no_pxe_config', nowMs }))
      .thenEventTypes('PowerCycleFailed', 'DeviceStateEntered', 'BootEnded')
      .thenState(inState('failed_pxe_booting'))
      .thenState((s) => s.timeoutAtMs === null, 'PXE failures wait for a human');
    assert.deepEqual(eventsOf(outcome, 'DeviceStateEntered')[0]?.data.trigger, 'pxe_result');
  });
});

describe('device: pc_rebooting and pc_pinging', () => {
  const rebooting = () =>
    readyDevice()
      .send((_, nowMs) => ({ type: 'PleasePowerCycle', nowMs }))
      .powerResult(true);

  it('pc_rebooting (120 s) → pc_pinging (10 s)', () => {
    const history = rebooting();
    assert.equal(history.state.timeoutAtMs, history.nowMs + 120_000);
    history
      .whenTimeout()
      .thenState(inState('pc_pinging'))
      .thenState((s) => s.timeoutAtMs === history.nowMs + 120_000 + 10_000);
  });

  it('a ping success → operation_complete → ready, the boot complete, no image installed', () => {
    rebooting()
      .timeout()
      .when((s, nowMs) => ({ type: 'VerifyResult', seq: s.seq, ok: true, error: null, nowMs }))
      .thenEventTypes('DeviceStateEntered', 'BootEnded', 'DeviceStateEntered')
      .thenState(inState('ready'));
  });

  it('a failed ping waits; 12 tries, then back to pc_power_cycling', () => {
    const history = rebooting().timeout();
    history
      .when((s, nowMs) => ({ type: 'VerifyResult', seq: s.seq, ok: false, error: 'no answer', nowMs }))
      .thenEventTypes('VerifyFailed')
      .thenState(inState('pc_pinging'));
    history.times(11, (h) => h.timeout());
    assert.equal(history.state.counters.pc_pinging, 12);
    history.whenTimeout().thenState(inState('pc_pinging'));
    history.timeout();
    const outcome = history.whenTimeout().thenState(inState('pc_power_cycling'));
    assert.deepEqual(enteredStates(outcome), ['pc_power_cycling']);
  });
});

describe('device: verifying', () => {
  const verifying = () => pxeBootingDevice().report('mobile_init_started', 'android_downloading', 'android_extracting', 'android_rebooting');

  it('power-cycles without PXE on every 10th timeout and fails on the 31st; then a self-test starts', () => {
    const history = verifying();
    assert.equal(history.state.timeoutAtMs, history.nowMs + 45_000);
    const cycledAt: number[] = [];
    for (let timeout = 1; timeout <= 30; timeout++) {
      const outcome = history.whenTimeout().thenState(inState('verifying'));
      const cycles = eventsOf(outcome, 'PowerCycleRequested');
      if (cycles.length > 0) {
        assert.deepEqual(
          cycles.map((event) => event.data.pxeConfig),
          [null],
        );
        cycledAt.push(timeout);
      }
      history.timeout();
    }
    assert.deepEqual(cycledAt, [10, 20, 30]);
    const failed = history.whenTimeout().thenEventTypes('DeviceStateEntered', 'BootEnded').thenState(inState('failed_verifying'));
    assert.equal(eventsOf(failed, 'PowerCycleRequested').length, 0);
    history.timeout();
    assert.equal(history.state.timeoutAtMs, history.nowMs, 'failed_verifying times out at once');
    history.whenTimeout().thenEventTypes('BootStarted', 'DeviceStateEntered').thenState(inState('start_self_test'));
  });
});

describe('device: ready', () => {
  it('times out after 600 s into ready again (verify again)', () => {
    const history = readyDevice();
    assert.equal(history.state.timeoutAtMs, history.nowMs + 600_000);
    history
      .whenTimeout()
      .thenEventTypes('DeviceStateEntered')
      .thenState(inState('ready'))
      .thenState((s) => s.seq === history.state.seq + 1);
  });
});

describe('device: stale results and timeouts', () => {
  it('a hardware result for an earlier state entry is rejected (stale_result)', () => {
    const history = readyDevice().pleaseImage();
    const seq = history.state.seq;
    history.powerResult(false).timeout();
    history.when({ type: 'PowerCycleResult', seq, ok: true, error: null, failure: 'retry', nowMs: T0 }).thenRejected('stale_result');
    history.when({ type: 'VerifyResult', seq, ok: true, error: null, nowMs: T0 }).thenRejected('stale_result');
  });

  it('a timeout for a deadline that is not the current one is rejected (stale_timeout)', () => {
    const history = readyDevice().pleaseImage();
    const old = history.decider.nextDeadline?.(history.state);
    assert.ok(old);
    history.powerResult(true);
    history.when({ type: 'Timeout', deadline: old, nowMs: old.atMs }).thenRejected('stale_timeout');
    history.when({ type: 'Timeout', deadline: { name: 'bogus', atMs: old.atMs }, nowMs: old.atMs }).thenRejected('stale_timeout');
  });

  it('the ready deadline is gone once a request is attached', () => {
    const ready = readyDevice();
    const deadline = ready.decider.nextDeadline?.(ready.state);
    assert.ok(deadline);
    ready.whenTimeout().thenEventTypes('DeviceStateEntered');
    ready.attach(1).when({ type: 'Timeout', deadline, nowMs: deadline.atMs }).thenRejected('stale_timeout');
  });

  it('limits: the image chain is keyed generically', () => {
    assert.equal(genericStateKey('ubuntu_downloading'), 'image_downloading');
    assert.equal(genericStateKey('failed_b2g_downloading'), 'failed_image_downloading');
    assert.equal(genericStateKey('mobile_init_started'), 'mobile_init_started');
    assert.deepEqual(limitOf(DEFAULT_DEVICE_LIMITS, 'b2g_extracting'), { timeoutMs: 600_000, maxCount: 10 });
    assert.deepEqual(limitOf(DEFAULT_DEVICE_LIMITS, 'pc_rebooting'), { timeoutMs: 120_000, maxCount: null });
    assert.deepEqual(limitOf(DEFAULT_DEVICE_LIMITS, 'locked_out'), { timeoutMs: null, maxCount: null });
  });
});

describe('device: configured limits', () => {
  it('a smaller pxe_booting limit fails sooner, with its own timeout', () => {
    const decider = createDeviceDecider({ ...DEFAULT_DEVICE_LIMITS, pxe_booting: { timeoutMs: 1_000, maxCount: 1 } });
    const history = pxeBootingDevice('android', decider);
    assert.equal(history.state.timeoutAtMs, history.nowMs + 1_000);
    history.whenTimeout().thenState(inState('pxe_power_cycling'));
    history.timeout().powerResult(true).whenTimeout().thenState(inState('failed_pxe_booting'));
  });
});
