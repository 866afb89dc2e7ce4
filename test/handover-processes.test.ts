import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findFreeTcpPort, findFreeUdpPort } from './support/free-port.js';
import { createTestInventory, inventoryFileText } from './support/lab-harness.js';
import { killHard, startServerProcess, type ServedProcess } from './support/labpool-processes.js';
import { waitFor } from './support/wait-for.js';

/** pc_rebooting's deadline: long enough to kill B and hand over before it passes, short enough to wait for. */
const REBOOT_TIMEOUT_MS = 3_000;
const HEARTBEAT_MS = 200;

type ServerRow = { id: string; startedAt: string | null; lastHeartbeat: string | null; alive: boolean; devices: number };
type HistoryEntry = { type: string; data: { from?: string; to?: string; trigger?: string }; server: string | null };

async function serversOf(url: string): Promise<ServerRow[]> {
  return ((await (await fetch(`${url}/labpool/servers`)).json()) as { servers: ServerRow[] }).servers;
}

async function isAlive(url: string, id: string): Promise<boolean> {
  return (await serversOf(url)).find((row) => row.id === id)?.alive === true;
}

async function stateOf(url: string, device: string): Promise<string> {
  return ((await (await fetch(`${url}/api/device/${device}/state/`)).json()) as { state: string }).state;
}

/** Forces `device` into `to` from whatever state its self-test (against a PDU that never answers) left it in. */
async function forceOver(url: string, device: string, to: string): Promise<void> {
  await waitFor(async () => {
    const state = await stateOf(url, device);
    if (state === to) return true;
    await fetch(`${url}/api/device/${device}/state-change/${state}/to/${to}/`, { method: 'POST' });
    return false;
  }, 30_000);
}

async function historyOf(url: string, device: string): Promise<HistoryEntry[]> {
  return ((await (await fetch(`${url}/api/device/${device}/history/`)).json()) as { history: HistoryEntry[] }).history;
}

/**
 * `npm start` twice on one SQLite file (A and B, one device each). B is killed with SIGKILL while its
 * device waits for a deadline; once B stops heartbeating its device is handed over to A, which honours
 * the deadline. B, started again on its old config, leaves the device with A and sends its callers there.
 */
describe('handover: a server killed, its device taken over by another process', () => {
  let dir: string;
  let verifyListener: Server;
  const ids: string[] = [];
  const configs: string[] = [];
  let a: ServedProcess;
  let b: ServedProcess | undefined;
  const [onA, onB] = ['panda-0001', 'panda-0002'];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'labpool-handover-processes-'));
    const ports = [await findFreeTcpPort(), await findFreeTcpPort()];
    ids.push(...ports.map((port) => `127.0.0.1:${port}`));
    const silentPdu = await findFreeUdpPort();
    verifyListener = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => verifyListener.listen(0, '127.0.0.1', resolve));
    const verify = { tcpPort: (verifyListener.address() as { port: number }).port };
    const base = createTestInventory(2);
    const images = base.images.map((image) => ({ ...image, verify }));
    const devices = base.devices.map((device, i) => ({ ...device, fqdn: '127.0.0.1', imagingServer: ids[i]!, relayInfo: `127.0.0.1:${silentPdu}/${i + 1}` }));
    const inventoryFile = join(dir, 'inventory.json');
    writeFileSync(inventoryFile, inventoryFileText({ ...base, images, devices }));
    for (const [i, serverId] of ids.entries()) {
      const configFile = join(dir, `labpool-${i}.json`);
      const tftp = { host: '127.0.0.1', port: await findFreeUdpPort(), root: join(dir, `tftp-${i}`) };
      const config = {
        serverId,
        http: { host: '127.0.0.1', port: ports[i] },
        store: { kind: 'sqlite', path: join(dir, 'events.db'), synchronous: 'NORMAL' },
        inventory: { file: inventoryFile },
        hardware: { tftp, power: { timeoutMs: 200, retries: 1 }, verify: { timeoutMs: 2000, defaultTcpPort: verify.tcpPort } },
        servers: { heartbeatMs: HEARTBEAT_MS },
        lifeguardLimits: { pc_rebooting: { timeoutMs: REBOOT_TIMEOUT_MS } },
      };
      writeFileSync(configFile, JSON.stringify(config));
      configs.push(configFile);
    }
    a = await startServerProcess(configs[0]!);
    b = await startServerProcess(configs[1]!);
    await forceOver(a.url, onA, 'ready');
    await forceOver(b.url, onB, 'ready');
  });

  after(async () => {
    await killHard(a);
    await killHard(b);
    await new Promise((resolve) => verifyListener.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands B’s device to A after B is killed; A honours its deadline; B restarted leaves it with A', async () => {
    const [idA, idB] = [ids[0]!, ids[1]!];
    await waitFor(() => isAlive(a.url, idB));
    // B's device waits in pc_rebooting for its deadline when B dies.
    const forced = await fetch(`${b!.url}/api/device/${onB}/state-change/ready/to/pc_rebooting/`, { method: 'POST' });
    assert.equal(forced.status, 200);
    await killHard(b);
    await waitFor(async () => !(await isAlive(a.url, idB)), 10_000);
    const response = await fetch(`${a.url}/labpool/servers/${idB}/handover`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ to: idA }) });
    const answer = (await response.json()) as { devices: string[]; refused: unknown[] };
    assert.equal(response.status, 200, JSON.stringify(answer));
    assert.deepEqual([answer.devices, answer.refused], [[onB], []]);
    const rows = await serversOf(a.url);
    assert.deepEqual(
      rows.map(({ id, alive, devices }) => ({ id, alive, devices })),
      [
        { id: idA, alive: true, devices: 2 },
        { id: idB, alive: false, devices: 0 },
      ].sort((x, y) => x.id.localeCompare(y.id)),
    );

    // A's actor fires the deadline B armed: pc_rebooting times out into pc_pinging, on A.
    const isTimeout = (entry: HistoryEntry) => entry.type === 'DeviceStateEntered' && entry.data.from === 'pc_rebooting' && entry.data.trigger === 'timeout';
    await waitFor(async () => (await historyOf(a.url, onB)).some(isTimeout), 15_000);
    assert.equal((await historyOf(a.url, onB)).find(isTimeout)?.server, idA);
    await waitFor(async () => (await stateOf(a.url, onB)) === 'ready', 15_000);

    // B comes back on its old config: its inventory sync leaves the device with A, and its routes send callers there.
    b = await startServerProcess(configs[1]!);
    await waitFor(() => isAlive(a.url, idB), 10_000);
    const afterRestart = await serversOf(b.url);
    assert.deepEqual(afterRestart.find((row) => row.id === idB)?.devices, 0);
    assert.deepEqual(afterRestart.find((row) => row.id === idA)?.devices, 2);
    const redirected = await fetch(`${b.url}/api/device/${onB}/power-cycle/`, { method: 'POST', body: '{}', redirect: 'manual' });
    assert.deepEqual([redirected.status, redirected.headers.get('location')], [302, `http://${idA}/api/device/${onB}/power-cycle/`]);
    const log = ((await (await fetch(`${b.url}/api/device/${onB}/log/`)).json()) as { log: { message: string }[] }).log.map((line) => line.message);
    assert.ok(log.includes(`handed over from server ${idB} to server ${idA}`), log.join('\n'));
    assert.ok(
      (await historyOf(b.url, onB)).every((entry) => entry.type !== 'DeviceInventoryUpdated'),
      'B re-applied its inventory to the device',
    );
    assert.doesNotMatch(b.output(), /"level":(50|60)/);
  });
});
