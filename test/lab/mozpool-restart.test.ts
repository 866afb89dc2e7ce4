import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startLabpool } from '../../src/labpool.js';
import { createFakeHardware } from '../support/fake-hardware.js';
import { createTestConfig, createTestInventory, startTestLab } from '../support/lab-harness.js';
import { waitFor } from '../support/wait-for.js';
import { mozpoolDialect } from '../../src/dialects/mozpool/mozpool-dialect.js';

describe('restart in the middle of a lease', () => {
  it('carries on a pending request and a pxe_booting device after a restart, with their deadlines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'labpool-restart-'));
    const config = {
      store: { kind: 'sqlite', path: join(dir, 'events.db'), synchronous: 'FULL' } as const,
      lifeguardLimits: { pxe_booting: { timeoutMs: 1_500, maxCount: 30 } },
    };
    const first = await startTestLab(createTestInventory(2), { config });
    try {
      const created = await fetch(`${first.url}/api/device/any/request/`, { method: 'POST', body: JSON.stringify({ assignee: 'me', duration: 3600, image: 'ubuntu' }) });
      const { request } = (await created.json()) as { request: { id: number; assigned_device: string } };
      const device = request.assigned_device;
      const devices = first.labpool.lab.context.kinds.devices;
      const requests = first.labpool.part(mozpoolDialect).lab.context.kinds.requests;
      await waitFor(async () => (await devices.read(device)).state.state === 'pxe_booting');
      await waitFor(async () => (await requests.read(String(request.id))).state.state === 'pending');
      const bootedAt = (await devices.read(device)).state;
      await first.labpool.stop();

      const fake = createFakeHardware();
      const second = await startLabpool(createTestConfig(config), { hardware: fake.hardware });
      try {
        const secondDevices = second.lab.context.kinds.devices;
        const secondRequests = second.part(mozpoolDialect).lab.context.kinds.requests;
        // Deadlines come back from the log without loading the actors: the timeout itself loads the device.
        const atStart = second.actors.stats();
        assert.equal(atStart.runningActors, 0, 'no actor is loaded at start');
        assert.equal(atStart.armedDeadlines, 3, 'the booting device, the idle device (re-verify) and the request have their deadlines armed again');
        await waitFor(() => fake.callsFor(device).some((call) => call.operation === 'cycle'), 60_000);
        assert.equal((await secondRequests.read(String(request.id))).state.state, 'pending');
        // The pxe_booting deadline set before the restart fired after it: back to power cycling, then booting again.
        await waitFor(async () => (await secondDevices.read(device)).state.seq > bootedAt.seq + 1, 60_000);
        await waitFor(async () => (await secondDevices.read(device)).state.state === 'pxe_booting', 60_000);
        assert.ok(
          fake.callsFor(device).some((call) => call.operation === 'cycle'),
          'the restarted server power-cycled the device',
        );
        // The second stage reports; a pxe_booting timeout (1.5 s) that beats a slow test to its first
        // report power-cycles the device again, and the second stage reports again, as a real one would.
        await waitFor(async () => {
          if ((await secondDevices.read(device)).state.state === 'pxe_booting') {
            for (const event of ['mobile_init_started', 'ubuntu_downloading', 'ubuntu_extracting', 'ubuntu_rebooting']) {
              const posted = await fetch(`${second.url}/api/device/${device}/event/${event}/`, { method: 'POST' });
              assert.equal(posted.status, 200);
            }
          }
          return (await secondRequests.read(String(request.id))).state.state === 'ready';
        }, 60_000);
        const status = (await (await fetch(`${second.url}/api/request/${request.id}/status/`)).json()) as { state: string };
        assert.equal(status.state, 'ready');
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
