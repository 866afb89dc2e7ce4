import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostFactsOf, isDeviceIdle, reactToHostDevice, type HostDeviceNews } from '../../../../src/dialects/commissaire/actors/host-work.js';
import type { JsonObject } from '../../../../src/domain/device/device-events.js';
import type { DeviceCommand } from '../../../../src/domain/device/device-commands.js';
import { summarizeHardwareFacts } from '../../../../src/domain/device/hardware-facts.js';
import { NAME, PXE, T0, readyDevice, type DeviceHistory } from '../../../domain/device/device-fixtures.js';

const AT = T0 + 60_000;

describe('Commissaire host work: facts of a hardware report', () => {
  const summary = { cpus: 8, memoryKb: 16_384_000, diskBytes: 500_107_862_016, os: 'fedora' };

  it('takes the numbers, with the disk in kB (rounded down), and the report time as the last check', () => {
    assert.deepEqual(hostFactsOf(summary, AT, 'android'), { os: 'fedora', cpus: 8, memoryKb: 16_384_000, spaceKb: 488_386_584, lastCheckMs: AT });
    assert.equal(hostFactsOf({ ...summary, diskBytes: 1_023 }, AT, null).spaceKb, 0);
  });

  it('names the device image as the OS when the report is the self-test’s own, or names none', () => {
    assert.equal(hostFactsOf({ ...summary, os: 'self-test' }, AT, 'android').os, 'android');
    assert.equal(hostFactsOf({ ...summary, os: null }, AT, 'android').os, 'android');
    assert.equal(hostFactsOf({ ...summary, os: 'self-test' }, AT, null).os, '');
  });

  it('gives 0 for what the report does not tell', () => {
    assert.deepEqual(hostFactsOf({ cpus: null, memoryKb: null, diskBytes: null, os: null }, AT, null), { os: '', cpus: 0, memoryKb: 0, spaceKb: 0, lastCheckMs: AT });
  });
});

describe('Commissaire host work: idle devices', () => {
  it('may ask more of a device at rest or failed, never of one at work', () => {
    for (const state of ['ready', 'operation_complete', 'new', 'failed_pxe_booting', 'failed_self_test']) assert.equal(isDeviceIdle(state), true, state);
    for (const state of ['start_self_test', 'pxe_power_cycling', 'pxe_booting', 'self_test_running', 'android_downloading', 'pc_rebooting', 'maintenance_mode', 'locked_out']) {
      assert.equal(isDeviceIdle(state), false, state);
    }
  });
});

/** Sends `command` to the real device decider; the host's news of that one decision. */
function newsOf(history: DeviceHistory, command: DeviceCommand | ((state: DeviceHistory['state'], nowMs: number) => DeviceCommand)): readonly HostDeviceNews[] {
  const before = history.events.length;
  history.send(command);
  return history.events.slice(before).flatMap((event) => reactToHostDevice(event, history.state));
}

const LSHW: JsonObject = {
  id: 'panda',
  class: 'system',
  children: [
    { id: 'cpu', class: 'processor', configuration: { cores: '2' } },
    { id: 'memory', class: 'memory', size: 1_073_741_824 },
    { id: 'disk', class: 'disk', size: 8_000_000_000 },
  ],
};

describe('Commissaire host work: what a held device tells its host', () => {
  it('a self-test: the report it posted, then its end; nothing for the steps between', () => {
    const device = readyDevice();
    assert.deepEqual(newsOf(device, { type: 'PleaseSelfTest', nowMs: T0 }), []);
    assert.deepEqual(
      newsOf(device, (state, nowMs) => ({ type: 'Continue', seq: state.seq, pxeConfig: PXE, nowMs })),
      [],
    );
    assert.deepEqual(
      newsOf(device, (state, nowMs) => ({ type: 'PowerCycleResult', seq: state.seq, ok: true, error: null, failure: 'retry', nowMs })),
      [],
    );
    assert.deepEqual(newsOf(device, { type: 'ReportEvent', event: 'self_test_running', nowMs: T0 }), []);
    assert.deepEqual(newsOf(device, { type: 'ReportFacts', generator: 'lshw', format: 'application/json', facts: LSHW, nowMs: AT }), [
      { type: 'DeviceReported', node: NAME, report: { summary: summarizeHardwareFacts(LSHW), atMs: AT } },
    ]);
    assert.deepEqual(summarizeHardwareFacts(LSHW), { cpus: 2, memoryKb: 1_048_576, diskBytes: 8_000_000_000, os: null });
    assert.deepEqual(newsOf(device, { type: 'ReportEvent', event: 'self_test_ok', nowMs: AT }), [{ type: 'DeviceWorkDone', node: NAME, image: '' }]);
    assert.equal(device.state.state, 'ready');
  });

  it('a failed self-test fails the device', () => {
    const device = readyDevice();
    newsOf(device, { type: 'PleaseSelfTest', nowMs: T0 });
    newsOf(device, (state, nowMs) => ({ type: 'Continue', seq: state.seq, pxeConfig: PXE, nowMs }));
    newsOf(device, (state, nowMs) => ({ type: 'PowerCycleResult', seq: state.seq, ok: true, error: null, failure: 'retry', nowMs }));
    newsOf(device, { type: 'ReportEvent', event: 'self_test_running', nowMs: T0 });
    assert.deepEqual(newsOf(device, { type: 'ReportEvent', event: 'failed_self_test', nowMs: T0 }), [{ type: 'DeviceFailed', node: NAME, state: 'failed_self_test' }]);
  });

  it('a power cycle ends in operation_complete: done, with the image the device keeps', () => {
    const device = readyDevice().pleaseImage('android').powerResult(true).report('mobile_init_started', 'android_downloading', 'android_extracting', 'android_rebooting');
    device.timeout().verifyResult(true).send({ type: 'PleasePowerCycle', nowMs: device.nowMs }).powerResult(true).timeout();
    assert.equal(device.state.state, 'pc_pinging');
    const news = newsOf(device, (state, nowMs) => ({ type: 'VerifyResult', seq: state.seq, ok: true, error: null, nowMs }));
    assert.deepEqual(news, [{ type: 'DeviceWorkDone', node: NAME, image: 'android' }]);
  });
});
