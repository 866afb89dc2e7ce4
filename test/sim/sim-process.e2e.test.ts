import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findFreeTcpPort, findFreeUdpPort } from '../support/free-port.js';
import { killHard, startServerProcess, startSimProcess, waitForLine, type LabpoolProcess, type ServedProcess } from '../support/labpool-processes.js';
import { waitFor } from '../support/wait-for.js';

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  assert.equal(response.status, 200, `${url} answered ${response.status}`);
  return (await response.json()) as T;
}

describe('the simulated lab in its own process (labpool sim)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'labpool-simproc-'));
  let server: ServedProcess | undefined;
  let sim: LabpoolProcess | undefined;
  after(async () => {
    await killHard(server);
    await killHard(sim);
    rmSync(dir, { recursive: true, force: true });
  });

  it('goes on imaging while the server is killed, and the restarted server takes the boot up where it is', async () => {
    const port = await findFreeTcpPort();
    const configFile = join(dir, 'labpool.json');
    const simConfig = {
      enabled: true,
      external: true,
      devices: 4,
      stepDelayMs: 1_000,
      pduPorts: [await findFreeUdpPort(), await findFreeUdpPort()],
      addressPrefix: `127.${2 + (process.pid % 200)}.251.`,
    };
    writeFileSync(
      configFile,
      JSON.stringify({
        http: { host: '127.0.0.1', port },
        store: { kind: 'sqlite', path: join(dir, 'labpool.db'), synchronous: 'NORMAL' },
        sim: simConfig,
        lifeguardLimits: { pxe_power_cycling: { timeoutMs: 3_000 } },
        hardware: { tftp: { host: '127.0.0.1', port: await findFreeUdpPort(), root: join(dir, 'tftp') } },
      }),
    );
    // Both at once: a power cycle sent before the PDUs listen is retried at its state's short timeout.
    [sim, server] = await Promise.all([startSimProcess(configFile), startServerProcess(configFile)]);
    const simulated = sim;
    const url = server.url;
    type Device = { name: string; state: string; image: string | null; request_id: number | null };
    const devices = async () => (await getJson<{ devices: Device[] }>(`${url}/api/device/list/?details=1`)).devices;
    // The devices this server knows are the other process's: they self-test through it to `ready`.
    // sim-0001 has none of the default faults (sim-0003 hangs mid-imaging, sim-0004 fails its self-test).
    const name = 'sim-0001';
    await waitFor(async () => (await devices()).some((device) => device.name === name && device.state === 'ready'), 60_000);
    assert.deepEqual(
      (await devices()).map((device) => device.name),
      ['sim-0001', 'sim-0002', 'sim-0003', 'sim-0004'],
    );

    const response = await fetch(`${url}/api/device/${name}/request/`, { method: 'POST', body: JSON.stringify({ assignee: 'me', duration: 600, image: 'ubuntu' }) });
    assert.equal(response.status, 200);
    const { request } = (await response.json()) as { request: { id: number } };
    // Mid-boot: the second stage runs on the device, and labpool waits for its next report.
    await waitFor(async () => (await getJson<{ state: string }>(`${url}/api/device/${name}/status/`)).state === 'ubuntu_downloading', 60_000);
    // Frozen while its server dies, the device has at least one step left to report to nobody: it
    // reports a step a second, and this freezes it right after the server showed the download.
    simulated.child.kill('SIGSTOP');
    await killHard(server);
    simulated.child.kill('SIGCONT');
    // The device goes on and finds nobody to tell.
    await waitForLine(simulated, new RegExp(`${name}: labpool does not answer, posting ubuntu_\\w+ again`));
    server = await startServerProcess(configFile);
    await waitFor(async () => (await getJson<{ state: string }>(`${server!.url}/api/request/${request.id}/status/`)).state === 'ready', 60_000);
    const device = (await devices()).find((candidate) => candidate.name === name)!;
    assert.equal(device.request_id, request.id);
    assert.equal(device.image, 'ubuntu');
    // The reports the dead server missed reached the new one: its log has the steps after the kill.
    const log = await getJson<{ log: { message: string }[] }>(`${server.url}/api/device/${name}/log/`);
    assert.ok(
      log.log.some((line) => line.message.includes('ubuntu_rebooting')),
      JSON.stringify(log.log.slice(-10)),
    );
  });
});
