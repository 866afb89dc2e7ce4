import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evolveBoots, noBoots, type BootRecord } from '../../../src/domain/boot/boot-record.js';
import type { DeviceEvent } from '../../../src/domain/device/device-events.js';
import { NAME, PXE, T0, readyDevice, type DeviceHistory } from '../device/device-fixtures.js';

/** The boots the fold finds in a history the device decider itself wrote. */
const bootsOf = (history: DeviceHistory): readonly BootRecord[] => history.events.reduce((boots, event: DeviceEvent) => evolveBoots(boots, event), noBoots(NAME)).boots;

describe('boot record: a fold of the device stream', () => {
  it("records the first self-test boot of a new device, as a plain power cycle when there's no self-test PXE config", () => {
    const [boot, ...more] = bootsOf(readyDevice());
    assert.equal(more.length, 0);
    assert.deepEqual([boot?.kind, boot?.image, boot?.hardwareType, boot?.holder, boot?.startedAtMs], ['self_test', 'self-test', 'panda', null, T0]);
    assert.deepEqual(
      boot?.stages.map((stage) => stage.stage),
      ['start_self_test', 'pc_power_cycling', 'pc_rebooting', 'pc_pinging', 'operation_complete'],
    );
    assert.equal(boot?.finished?.outcome, 'complete');
  });

  it('records an imaging boot for its holder: boot config, power cycles, reports, and time per stage summed over re-entries', () => {
    const history = readyDevice().attach(7).advance(1_000).pleaseImage('android', PXE, '{"b2gbase":"x"}').advance(2_000).powerResult(false);
    // The power cycle's timeout retries it: pxe_power_cycling entered twice.
    history.advance(60_000).timeout().advance(3_000).powerResult(true).advance(4_000).report('mobile_init_started', 'bogus_event');
    const boot = bootsOf(history).at(-1);
    assert.deepEqual([boot?.kind, boot?.image, boot?.pxeConfig, boot?.bootConfig, boot?.holder], ['image', 'android', PXE, '{"b2gbase":"x"}', { kind: 'mozpool_request', id: '7' }]);
    assert.deepEqual(
      boot?.powerCycles.map((cycle) => [cycle.ok, cycle.error]),
      [
        [false, 'relay did not answer'],
        [true, null],
      ],
    );
    // An event the state machine ignores is not part of the boot.
    assert.deepEqual(
      boot?.deviceReports.map((report) => report.event),
      ['mobile_init_started'],
    );
    assert.equal(boot?.finished, null);
    const finished = bootsOf(history.report('android_downloading', 'android_extracting', 'android_rebooting').advance(5_000).verifyResult(true)).at(-1)?.finished;
    assert.deepEqual([finished?.outcome, finished?.finalState], ['complete', 'operation_complete']);
    const stages = bootsOf(history).at(-1)?.stages ?? [];
    const entries = stages.flatMap((stage, i) => (stage.stage === 'pxe_power_cycling' ? [(stages[i + 1]?.atMs ?? 0) - stage.atMs] : []));
    assert.equal(entries.length, 2);
    assert.equal(finished?.stageDurationsMs.pxe_power_cycling, entries[0]! + entries[1]!);
    assert.equal(
      Object.values(finished?.stageDurationsMs ?? {}).reduce((sum, ms) => sum + ms, 0),
      finished?.durationMs,
    );
  });

  it('ends a boot another please supersedes as failed, and starts the next', () => {
    // Forced into troubleshooting mid-boot, the boot stays open until the operator's please.
    const boots = bootsOf(
      readyDevice()
        .pleaseImage()
        .force('pxe_power_cycling', 'troubleshooting')
        .advance(1_000)
        .send({ type: 'PleasePowerCycle', nowMs: T0 + 10_000_000 }),
    );
    const [image, cycle] = boots.slice(-2);
    assert.deepEqual([image?.kind, image?.finished?.outcome, cycle?.kind, cycle?.finished], ['image', 'failed', 'power_cycle', null]);
  });

  it('a failed state ends the boot as failed, with that state', () => {
    const boot = bootsOf(readyDevice().pleaseImage().force('pxe_power_cycling', 'failed_pxe_booting')).at(-1);
    assert.deepEqual([boot?.finished?.outcome, boot?.finished?.finalState], ['failed', 'failed_pxe_booting']);
  });
});
