import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootDecider, type BootCommand } from '../../../src/domain/boot/boot-decider.js';
import type { BootEvent } from '../../../src/domain/boot/boot-events.js';
import { givenDecider } from '../../support/given-when-then.js';

const T0 = Date.UTC(2024, 5, 1, 12, 0, 0);
const BOOT = 'panda-0001.8';

const open: Extract<BootCommand, { type: 'Open' }> = {
  type: 'Open',
  bootId: BOOT,
  device: 'panda-0001',
  kind: 'image',
  image: 'android',
  pxeConfig: 'panda-android-pxe',
  bootConfig: '{"b2gbase":"x"}',
  hardwareType: 'panda',
  requestId: 42,
  nowMs: T0,
};

const opened: BootEvent = {
  type: 'BootOpened',
  data: { bootId: BOOT, device: 'panda-0001', kind: 'image', image: 'android', pxeConfig: 'panda-android-pxe', bootConfig: '{"b2gbase":"x"}', hardwareType: 'panda', requestId: 42, atMs: T0 },
};

const stage = (name: string, atS: number, counter = 1): BootEvent => ({ type: 'BootStageEntered', data: { stage: name, counter, atMs: T0 + atS * 1000 } });

describe('boot: the audit record of one boot', () => {
  it('opens with what the device reported', () => {
    givenDecider(bootDecider)
      .when(open)
      .thenEvents([opened])
      .thenState((state) => state.opened && !state.finished && state.startedAtMs === T0 && state.stage === null);
  });

  it('opening again changes nothing', () => {
    givenDecider(bootDecider).given(opened).when({ ...open, nowMs: T0 + 10 }).thenNothing();
  });

  it('refuses everything else before it is opened', () => {
    for (const command of [
      { type: 'EnterStage', stage: 'pxe_power_cycling', counter: 1, nowMs: T0 },
      { type: 'RecordPowerCycle', ok: true, error: null, nowMs: T0 },
      { type: 'RecordDeviceEvent', event: 'mobile_init_started', nowMs: T0 },
      { type: 'Finish', outcome: 'complete', finalState: 'operation_complete', nowMs: T0 },
    ] as const) {
      givenDecider(bootDecider).when(command).thenRejected('unknown_boot');
    }
  });

  it('records stages, power attempts and device events', () => {
    givenDecider(bootDecider)
      .given(opened)
      .when({ type: 'EnterStage', stage: 'pxe_power_cycling', counter: 1, nowMs: T0 + 1000 })
      .thenEvents([stage('pxe_power_cycling', 1)])
      .thenState((state) => state.stage === 'pxe_power_cycling' && state.stageSinceMs === T0 + 1000)
      .when({ type: 'RecordPowerCycle', ok: false, error: 'relay timeout', nowMs: T0 + 2000 })
      .thenEvents([{ type: 'BootPowerCycleAttempted', data: { ok: false, error: 'relay timeout', atMs: T0 + 2000 } }])
      .when({ type: 'RecordPowerCycle', ok: true, error: null, nowMs: T0 + 3000 })
      .thenEvents([{ type: 'BootPowerCycleAttempted', data: { ok: true, error: null, atMs: T0 + 3000 } }])
      .when({ type: 'RecordDeviceEvent', event: 'mobile_init_started', nowMs: T0 + 4000 })
      .thenEvents([{ type: 'BootDeviceReported', data: { event: 'mobile_init_started', atMs: T0 + 4000 } }])
      .thenState((state) => state.stage === 'pxe_power_cycling', 'power attempts and device events do not change the stage');
  });

  it('sums each stage over its re-entries as it goes', () => {
    givenDecider(bootDecider)
      .given(opened, stage('pxe_power_cycling', 0), stage('pxe_booting', 60), stage('pxe_power_cycling', 240, 2))
      .when({ type: 'EnterStage', stage: 'pxe_booting', counter: 2, nowMs: T0 + 250_000 })
      .thenState((state) => assert.deepEqual(state.stageDurationsMs, { pxe_power_cycling: 70_000, pxe_booting: 180_000 }));
  });

  it('finishes with the outcome, the total time and the stage durations summed over re-entries', () => {
    givenDecider(bootDecider)
      .given(opened, stage('pxe_power_cycling', 10), stage('pxe_booting', 70), stage('pxe_power_cycling', 250, 2), stage('pxe_booting', 260, 2), stage('mobile_init_started', 300), stage('verifying', 400))
      .when({ type: 'Finish', outcome: 'complete', finalState: 'operation_complete', nowMs: T0 + 445_000 })
      .thenEvents([
        {
          type: 'BootFinished',
          data: {
            outcome: 'complete',
            finalState: 'operation_complete',
            atMs: T0 + 445_000,
            durationMs: 445_000,
            stageDurationsMs: { pxe_power_cycling: 70_000, pxe_booting: 220_000, mobile_init_started: 100_000, verifying: 45_000 },
          },
        },
      ])
      .thenState((state) => state.finished && state.stage === null);
  });

  it('a failed boot without stages finishes with no durations', () => {
    givenDecider(bootDecider)
      .given(opened)
      .when({ type: 'Finish', outcome: 'failed', finalState: 'failed_power_cycling', nowMs: T0 + 5 })
      .thenEvents([{ type: 'BootFinished', data: { outcome: 'failed', finalState: 'failed_power_cycling', atMs: T0 + 5, durationMs: 5, stageDurationsMs: {} } }]);
  });

  it('refuses every command after it finished, even a second finish', () => {
    const finished = givenDecider(bootDecider).given(opened, stage('pxe_power_cycling', 0), {
      type: 'BootFinished',
      data: { outcome: 'failed', finalState: 'failed_pxe_booting', atMs: T0 + 1000, durationMs: 1000, stageDurationsMs: { pxe_power_cycling: 1000 } },
    });
    finished.when({ type: 'EnterStage', stage: 'pxe_booting', counter: 1, nowMs: T0 + 2000 }).thenRejected('finished');
    finished.when({ type: 'RecordPowerCycle', ok: true, error: null, nowMs: T0 + 2000 }).thenRejected('finished');
    finished.when({ type: 'RecordDeviceEvent', event: 'mobile_init_started', nowMs: T0 + 2000 }).thenRejected('finished');
    finished.when({ type: 'Finish', outcome: 'complete', finalState: 'ready', nowMs: T0 + 2000 }).thenRejected('finished');
    assert.deepEqual(finished.state.stageDurationsMs, { pxe_power_cycling: 1000 });
    finished.when(open).thenNothing();
  });
});
