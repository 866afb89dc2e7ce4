import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { RunningLabpool } from '../../src/labpool.js';
import { startSimLabpool, type SimLabpool } from '../support/sim-labpool.js';
import { waitFor } from '../support/wait-for.js';

const get = async (labpool: RunningLabpool, path: string) => (await (await fetch(`${labpool.url}${path}`)).json()) as any;
const post = (labpool: RunningLabpool, path: string, body?: unknown) => fetch(`${labpool.url}${path}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
const stateOf = async (labpool: RunningLabpool, device: string) => (await get(labpool, `/api/device/${device}/state/`)).state as string;
const logOf = async (labpool: RunningLabpool, device: string) => ((await get(labpool, `/api/device/${device}/log/`)).log as { message: string }[]).map((line) => line.message);
const count = (lines: readonly string[], pattern: RegExp) => lines.filter((line) => pattern.test(line)).length;

/** Generous: conditions are awaited, and this only bounds how long a broken build takes to fail. */
const PATIENCE_MS = 90_000;

describe('simulated lab: a fast board behind a slow PDU', () => {
  let sim: SimLabpool | undefined;
  after(() => sim?.stop());

  it('every device reaches ready when its second stage reports before the power read-back', async () => {
    const devices = ['sim-0001', 'sim-0002', 'sim-0003', 'sim-0004'];
    // The PDUs answer each power-on's read-back only once the device on that outlet has reported its
    // first second-stage event: the race of the issue, every time, whatever the machine's speed.
    sim = await startSimLabpool(4, {}, (config) => ({
      ...config,
      hardware: { ...config.hardware, power: { ...config.hardware.power, timeoutMs: 60_000 } },
      sim: { ...config.sim, stepDelayMs: 0, faults: Object.fromEntries(devices.map((name) => [name, { lateReadBack: true }])) },
    }));
    const { labpool } = sim;
    for (const device of devices) await waitFor(async () => (await stateOf(labpool, device)) === 'ready', PATIENCE_MS);
    for (const device of devices) {
      const log = await logOf(labpool, device);
      assert.equal(count(log, /entering state pxe_booting \(from pxe_power_cycling: device reported self_test_running before the power read-back/), 1, `${device}:\n${log.join('\n')}`);
      assert.equal(count(log, /\(ignored\)/), 0, `${device}: no second-stage event ignored`);
    }
    const response = await post(labpool, '/api/device/sim-0002/request/', { assignee: 'me', duration: 600, image: 'ubuntu' });
    const { request } = (await response.json()) as { request: { id: number } };
    await waitFor(async () => (await get(labpool, `/api/request/${request.id}/status/`)).state === 'ready', PATIENCE_MS);
    assert.match((await logOf(labpool, 'sim-0002')).join('\n'), /device reported mobile_init_started before the power read-back/);
  });
});

describe('simulated lab: verify after a self-test, and across a restart', () => {
  let sim: SimLabpool | undefined;
  after(() => sim?.stop());

  it('a device that lost power self-tests once and stays ready (verify checks the self-test image it runs)', async () => {
    // ready re-verifies every 300 ms, so "stays ready" is counted in ready periods, not waited for.
    // A verify that times out would start a self-test: give it all the time a loaded machine needs.
    sim = await startSimLabpool(2, {}, (config) => ({
      ...config,
      hardware: { ...config.hardware, verify: { ...config.hardware.verify, timeoutMs: 30_000 } },
      lifeguardLimits: { ready: { timeoutMs: 300 }, pc_rebooting: { timeoutMs: 100 } },
    }));
    let { labpool } = sim;
    await waitFor(async () => (await stateOf(labpool, 'sim-0001')) === 'ready', PATIENCE_MS);
    // android's agent answers on its own port (20701), which the self-test image does not open.
    const leased = await post(labpool, '/api/device/sim-0001/request/', { assignee: 'me', duration: 600, image: 'android' });
    const { request } = (await leased.json()) as { request: { id: number } };
    await waitFor(async () => (await get(labpool, `/api/request/${request.id}/status/`)).state === 'ready', PATIENCE_MS);
    assert.equal((await post(labpool, '/api/device/sim-0001/power-off/')).status, 200);
    await waitFor(async () => sim!.labpool.simLab?.devices[0]?.status() === 'off', PATIENCE_MS);
    assert.equal((await post(labpool, `/api/request/${request.id}/return/`)).status, 204);

    const readyPeriods = (log: readonly string[]) => count(log, /entering state ready \(from ready: timeout in ready/);
    const before = await logOf(labpool, 'sim-0001');
    await waitFor(async () => {
      const log = await logOf(labpool, 'sim-0001');
      return count(log, /entering state start_self_test/) > count(before, /entering state start_self_test/) && readyPeriods(log) >= readyPeriods(before) + 3;
    }, PATIENCE_MS);
    const log = (await logOf(labpool, 'sim-0001')).slice(before.length);
    assert.equal(count(log, /entering state start_self_test/), 1, log.join('\n'));
    assert.equal(await stateOf(labpool, 'sim-0001'), 'ready', (await logOf(labpool, 'sim-0001')).slice(before.length).join('\n'));

    // A restart keeps the disks: the simulated board still carries android, and a reusable-image
    // request power-cycles it into android instead of re-imaging.
    const selfTestsBefore = count(await logOf(labpool, 'sim-0001'), /entering state self_test_running/);
    labpool = await sim.restart();
    assert.equal(labpool.simLab?.devices[0]?.status(), 'off');
    // The board lost power with the restart: its first verify fails, and it self-tests once more.
    await waitFor(async () => (await stateOf(labpool, 'sim-0001')) === 'ready' && count(await logOf(labpool, 'sim-0001'), /entering state self_test_running/) > selfTestsBefore, PATIENCE_MS);
    const again = await post(labpool, '/api/device/sim-0001/request/', { assignee: 'me', duration: 600, image: 'android' });
    assert.equal(again.status, 200);
    const { request: second } = (await again.json()) as { request: { id: number } };
    await waitFor(async () => (await get(labpool, `/api/request/${second.id}/status/`)).state === 'ready', PATIENCE_MS);
    const tail = (await logOf(labpool, 'sim-0001')).join('\n');
    assert.match(tail, /please_power_cycle/);
  });
});
