import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findFreeTcpPort, findFreeUdpPort } from './support/free-port.js';
import { killHard, startServerProcess, type ServedProcess } from './support/labpool-processes.js';
import { waitFor } from './support/wait-for.js';

/** `npm start`'s entry point on this store and port, once it serves. */
function start(configFile: string, dbPath: string, port: number): Promise<ServedProcess> {
  return startServerProcess(configFile, { LABPOOL_PORT: String(port), LABPOOL_SQLITE_PATH: dbPath });
}

async function getJson(url: string): Promise<any> {
  return (await fetch(url)).json();
}

/** Devices and the open requests holding them agree, both ways, as the API tells them. */
async function disagreements(url: string): Promise<string[]> {
  const devices: { name: string; request_id: number | null }[] = (await getJson(`${url}/api/device/list/?details=1`)).devices;
  const requests: { id: number; state: string; assigned_device: string }[] = (await getJson(`${url}/api/request/list/`)).requests;
  const open = new Map(requests.filter((r) => r.state !== 'closed' && !r.state.startsWith('failed_')).map((r) => [r.id, r]));
  const problems: string[] = [];
  for (const device of devices) {
    if (device.request_id !== null && open.get(device.request_id)?.assigned_device !== device.name) problems.push(`${device.name} attached to request ${device.request_id}`);
  }
  for (const request of open.values()) {
    if (request.assigned_device !== '' && devices.find((d) => d.name === request.assigned_device)?.request_id !== request.id) problems.push(`request ${request.id} holds ${request.assigned_device}`);
  }
  return problems;
}

/** Clients that lease any device and return it at once, until stopped (or the server dies). */
function leaseAndReturnLoops(url: string, clients: number): { attempts(): number; stop(): Promise<void> } {
  let stopped = false;
  let attempts = 0;
  const loop = async () => {
    while (!stopped) {
      attempts++;
      const response = await fetch(`${url}/api/device/any/request/`, { method: 'POST', body: JSON.stringify({ assignee: 'load', duration: 600, image: 'ubuntu' }) }).catch(() => undefined);
      if (response === undefined) return;
      const body = (await response.json().catch(() => null)) as { request?: { id: number } } | null;
      if (body?.request) await fetch(`${url}/api/request/${body.request.id}/return/`, { method: 'POST' }).catch(() => undefined);
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const loops = Array.from({ length: clients }, loop);
  return {
    attempts: () => attempts,
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

describe('kill -9 of npm start under load', () => {
  it('restarts with every device and request agreeing, 3 rounds (each step is also crashed deterministically in test/lab/crash-recovery)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'labpool-kill-'));
    const dbPath = join(dir, 'labpool.db');
    const configFile = join(dir, 'labpool.json');
    const sim = { enabled: true, devices: 6, stepDelayMs: 10, pduPorts: [await findFreeUdpPort(), await findFreeUdpPort()], addressPrefix: `127.${2 + (process.pid % 200)}.250.`, faults: {} };
    // Devices a kill caught imaging are powered off at restart: short stage timeouts bring them back soon.
    const stage = { timeoutMs: 2_000 };
    const lifeguardLimits = { pxe_booting: stage, mobile_init_started: stage, image_downloading: stage, image_extracting: stage, verifying: { timeoutMs: 2_000, maxCount: 2 }, pc_rebooting: stage };
    writeFileSync(configFile, JSON.stringify({ sim, lifeguardLimits, hardware: { tftp: { host: '127.0.0.1', port: await findFreeUdpPort(), root: join(dir, 'tftp') } } }));
    const port = await findFreeTcpPort();
    let served: ServedProcess | undefined;
    try {
      for (let round = 0; round < 3; round++) {
        served = await start(configFile, dbPath, port);
        const { url } = served;
        await waitFor(async () => (await disagreements(url)).length === 0, 60_000).catch(async () => assert.fail(`round ${round}: ${(await disagreements(url)).join('; ')}`));
        if (round === 0)
          await waitFor(async () => (await getJson(`${url}/api/device/list/?details=1`)).devices.filter((d: { state: string }) => d.state === 'ready').length >= 3, 60_000).catch(async () =>
            assert.fail(
              `round ${round}: too few ready devices: ${JSON.stringify((await getJson(`${url}/api/device/list/?details=1`)).devices.map((d: { name: string; state: string; request_id: number | null }) => [d.name, d.state, d.request_id]))}`,
            ),
          );
        const load = leaseAndReturnLoops(url, 6);
        // Kill after some lease attempts, a number that differs from round to round.
        const killAfter = 10 + Math.floor(Math.random() * 30);
        await waitFor(() => load.attempts() >= killAfter, 60_000);
        await killHard(served);
        await load.stop();
      }
      served = await start(configFile, dbPath, port);
      const { url } = served;
      await waitFor(async () => (await disagreements(url)).length === 0, 60_000).catch(async () => assert.fail(`after the last kill: ${(await disagreements(url)).join('; ')}`));
    } finally {
      await killHard(served);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
