import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningLabpool } from '../../src/labpool.js';
import { startSimLabpool, type SimLabpool } from '../support/sim-labpool.js';
import { waitFor } from '../support/wait-for.js';

/** Generous: conditions are awaited, and this only bounds how long a broken build takes to fail. */
const PATIENCE_MS = 90_000;

/**
 * The whole lab through real protocols on loopback: labpool's SNMP power control against the
 * simulated PDUs, PXE files over TFTP to the simulated devices, their second stage over HTTP, and
 * verify over TCP. sim-0003 hangs before extracting; sim-0004 fails its self-test.
 */
describe('simulated lab end to end', () => {
  let sim: SimLabpool;
  let labpool: RunningLabpool;
  const get = async (path: string) => (await (await fetch(`${labpool.url}${path}`)).json()) as any;
  const stateOf = async (device: string) => (await get(`/api/device/${device}/state/`)).state as string;

  before(async () => {
    sim = await startSimLabpool(6, {
      lifeguardLimits: { image_downloading: { timeoutMs: 1_000, maxCount: 1 } },
      mozpoolLimits: { findingTimeoutMs: 300 },
    });
    labpool = sim.labpool;
  });
  after(() => sim?.stop());

  it('self-tests every new device through PXE and its second stage; a failing self-test fails', async () => {
    for (const device of ['sim-0001', 'sim-0002', 'sim-0005', 'sim-0006']) await waitFor(async () => (await stateOf(device)) === 'ready', PATIENCE_MS);
    await waitFor(async () => (await stateOf('sim-0004')) === 'failed_self_test', PATIENCE_MS);
    const log = (await get('/api/device/sim-0001/log/')).log.map((line: { message: string }) => line.message).join('\n');
    for (const step of ['start_self_test', 'pxe_power_cycling', 'pxe_booting', 'self_test_running', 'ready']) assert.match(log, new RegExp(step));
  });

  it('leases a device with an image through power cycle, PXE over TFTP and the second stage', async () => {
    const response = await fetch(`${labpool.url}/api/device/sim-0001/request/`, { method: 'POST', body: JSON.stringify({ assignee: 'me', duration: 600, image: 'android' }) });
    assert.equal(response.status, 200);
    const { request } = (await response.json()) as { request: { id: number } };
    await waitFor(async () => (await get(`/api/request/${request.id}/status/`)).state === 'ready', PATIENCE_MS);
    const log = (await get('/api/device/sim-0001/log/')).log.map((line: { message: string }) => line.message).join('\n');
    for (const step of ['pxe_power_cycling', 'power cycle ok', 'mobile_init_started', 'android_downloading', 'android_extracting', 'android_rebooting', 'verifying', 'operation_complete']) {
      assert.match(log, new RegExp(step));
    }
    assert.equal((await get('/api/device/list/?details=1')).devices.find((d: { name: string }) => d.name === 'sim-0001').image, 'android');
  });

  it('fails a device that hangs in its second stage and moves an any request to another device', async () => {
    const post = (path: string, body?: unknown) => fetch(`${labpool.url}${path}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
    // Only sim-0003 stays free: the others are locked out (sim-0001 is leased, sim-0004 failed).
    for (const device of ['sim-0002', 'sim-0005', 'sim-0006']) assert.equal((await post(`/api/device/${device}/state-change/ready/to/locked_out/`)).status, 200);
    const response = await post('/api/device/any/request/', { assignee: 'me', duration: 600, image: 'ubuntu' });
    const { request } = (await response.json()) as { request: { id: number; assigned_device: string } };
    assert.equal(request.assigned_device, 'sim-0003');
    await waitFor(async () => (await get(`/api/request/${request.id}/status/`)).state === 'finding_device', PATIENCE_MS);
    const log = (await get('/api/device/sim-0003/log/')).log.map((line: { message: string }) => line.message).join('\n');
    assert.match(log, /failed_ubuntu_downloading/);
    assert.equal((await post('/api/device/sim-0002/state-change/locked_out/to/ready/')).status, 200);
    await waitFor(async () => (await get(`/api/request/${request.id}/details/`)).assigned_device === 'sim-0002', PATIENCE_MS);
    await waitFor(async () => (await get(`/api/request/${request.id}/status/`)).state === 'ready', PATIENCE_MS);
  });
});
