import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PXE, T0, enteredStates, eventsOf, inState, readyDevice, type DeviceHistory } from './device-fixtures.js';

/** Each kind of boot, stopped in `pxe_power_cycling` before the PDU's read-back came back. */
const bootsAwaitingPower: { kind: string; start: () => DeviceHistory; event: string; then: string }[] = [
  { kind: 'image', start: () => readyDevice().pleaseImage('android', PXE), event: 'mobile_init_started', then: 'mobile_init_started' },
  {
    kind: 'self_test',
    start: () =>
      readyDevice()
        .send((_, nowMs) => ({ type: 'PleaseSelfTest', nowMs }))
        .continueWith('selftest-pxe'),
    event: 'self_test_running',
    then: 'self_test_running',
  },
  {
    kind: 'maintenance',
    start: () =>
      readyDevice()
        .send((_, nowMs) => ({ type: 'PleaseStartMaintenance', nowMs }))
        .continueWith('maint-pxe'),
    event: 'maint_mode',
    then: 'maintenance_mode',
  },
];

describe('device: a second-stage event in pxe_power_cycling proves the power came on', () => {
  for (const { kind, start, event, then } of bootsAwaitingPower) {
    it(`${kind} boot: ${event} before the read-back → power cycle succeeded, pxe_booting, then ${then}`, () => {
      const history = start();
      assert.equal(history.state.state, 'pxe_power_cycling');
      const outcome = history.when({ type: 'ReportEvent', event, nowMs: T0 });
      outcome.thenEventTypes('PowerCycleSucceeded', 'DeviceStateEntered', 'DeviceEventReported', 'DeviceStateEntered', ...(then === 'maintenance_mode' ? (['BootEnded'] as const) : []));
      assert.deepEqual(enteredStates(outcome), ['pxe_booting', then]);
      assert.deepEqual(eventsOf(outcome, 'DeviceEventReported')[0]?.data, { event, state: 'pxe_booting', ignored: false, atMs: T0 });
      assert.match(eventsOf(outcome, 'DeviceStateEntered')[0]?.data.reason ?? '', /before the power read-back/);
      outcome.thenState(inState(then));
    });

    it(`${kind} boot: the late read-back of that power cycle is stale and changes nothing`, () => {
      const history = start();
      const powerSeq = history.state.seq;
      history.report(event);
      history.when({ type: 'PowerCycleResult', seq: powerSeq, ok: true, error: null, failure: 'retry', nowMs: T0 }).thenRejected('stale_result');
    });
  }

  it('a self-test reaches ready through the race: self_test_running then self_test_ok', () => {
    const history = bootsAwaitingPower[1]!.start().report('self_test_running');
    history.when({ type: 'ReportEvent', event: 'self_test_ok', nowMs: T0 }).thenState(inState('ready'));
  });

  it("another kind of boot's event, or a later step, stays ignored in pxe_power_cycling", () => {
    const cases: [number, string][] = [
      [0, 'self_test_running'],
      [0, 'android_downloading'],
      [1, 'mobile_init_started'],
      [1, 'self_test_ok'],
      [2, 'self_test_running'],
      [0, 'bogus'],
    ];
    for (const [boot, event] of cases) {
      bootsAwaitingPower[boot]!.start()
        .when({ type: 'ReportEvent', event, nowMs: T0 })
        .thenEvents([{ type: 'DeviceEventReported', data: { event, state: 'pxe_power_cycling', ignored: true, atMs: T0 } }])
        .thenState(inState('pxe_power_cycling'));
    }
  });

  it('a plain power cycle (no second stage) is not affected', () => {
    readyDevice()
      .send((_, nowMs) => ({ type: 'PleasePowerCycle', nowMs }))
      .when({ type: 'ReportEvent', event: 'mobile_init_started', nowMs: T0 })
      .thenEvents([{ type: 'DeviceEventReported', data: { event: 'mobile_init_started', state: 'pc_power_cycling', ignored: true, atMs: T0 } }]);
  });
});
