import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { mozpoolDialect } from '../../src/dialects/mozpool/mozpool-dialect.js';
import { syncInventory } from '../../src/lab/inventory-sync.js';
import { startLabpool, type RunningLabpool } from '../../src/labpool.js';
import type { RecordedEvent } from '../../src/store/port.js';
import { createFakeHardware } from '../support/fake-hardware.js';
import { createTestConfig, createTestInventory, forceReady } from '../support/lab-harness.js';
import { createMemoryLog, type LogLine } from '../support/memory-log.js';
import { waitFor } from '../support/wait-for.js';

const A = '127.0.0.1:8031';
const B = '127.0.0.1:8032';
const ON_A = 'panda-0001';
const ON_B = 'panda-0002';
/** Long enough for the handover to come first, short enough to wait for. */
const REBOOT_TIMEOUT_MS = 2_500;

type Server = { readonly labpool: RunningLabpool; readonly log: LogLine[] };

async function post(server: Server, path: string, body: unknown): Promise<{ status: number; type: string; location: string | null; body: Record<string, unknown> }> {
  const response = await fetch(`${server.labpool.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), redirect: 'manual' });
  return { status: response.status, type: response.headers.get('content-type') ?? '', location: response.headers.get('location'), body: (await response.json()) as Record<string, unknown> };
}

type ServerRow = { id: string; startedAt: string | null; lastHeartbeat: string | null; alive: boolean; devices: number };

async function serversSeenBy(server: Server): Promise<ServerRow[]> {
  return ((await (await fetch(`${server.labpool.url}/labpool/servers`)).json()) as { servers: ServerRow[] }).servers;
}

async function eventsOf(server: Server, device: string): Promise<RecordedEvent[]> {
  return server.labpool.store.readStream(`device-${device}`);
}

/**
 * Two servers on one SQLite file, B still running: a forced handover of B's device to A. B's actor
 * keeps the deadline it armed before; when it fires, B refuses and logs why, while A honours it.
 */
describe('handover of a live server’s devices (force), two servers in one process', () => {
  let dir: string;
  const servers: Server[] = [];
  const inventory = (() => {
    const base = createTestInventory(2);
    return { ...base, devices: base.devices.map((device, i) => ({ ...device, imagingServer: [A, B][i]! })) };
  })();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'labpool-handover-'));
    const store = { kind: 'sqlite', path: join(dir, 'events.db'), synchronous: 'NORMAL' } as const;
    for (const serverId of [A, B]) {
      const fake = createFakeHardware();
      for (const device of inventory.devices) fake.power.set(device.name, 'hang');
      const { logger, lines } = createMemoryLog('warn');
      const config = createTestConfig({ serverId, store, servers: { heartbeatMs: 200 }, lifeguardLimits: { pc_rebooting: { timeoutMs: REBOOT_TIMEOUT_MS } } });
      const labpool = await startLabpool(config, { hardware: fake.hardware, logger });
      servers.push({ labpool, log: lines });
      await syncInventory(labpool.lab, inventory, { force: false });
      const own = inventory.devices.find((device) => device.imagingServer === serverId)!.name;
      await forceReady(labpool, own);
      fake.power.delete(own);
    }
  });

  after(async () => {
    for (const server of servers) await server.labpool.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists both servers alive, with their devices', async () => {
    const [a] = servers;
    await waitFor(async () => (await serversSeenBy(a!)).filter((row) => row.alive).length === 2);
    const rows = await serversSeenBy(a!);
    assert.deepEqual(
      rows.map(({ id, alive, devices }) => ({ id, alive, devices })),
      [
        { id: A, alive: true, devices: 1 },
        { id: B, alive: true, devices: 1 },
      ],
    );
    assert.ok(rows.every((row) => row.startedAt !== null && row.lastHeartbeat !== null && row.lastHeartbeat >= row.startedAt));
  });

  it('answers 400, 404, 307 and 409 before moving anything', async () => {
    const [a] = servers;
    const bad = await post(a!, `/labpool/servers/${B}/handover`, { to: 'no port' });
    assert.deepEqual([bad.status, bad.type, bad.body.detail], [400, 'application/problem+json', 'to must be a server id host:port']);
    assert.equal((await post(a!, `/labpool/servers/${B}/handover`, { to: A, extra: 1 })).status, 400);
    assert.equal((await post(a!, `/labpool/servers/${A}/handover`, { to: A })).status, 400);
    assert.equal((await post(a!, '/labpool/servers/127.0.0.1:9999/handover', { to: A })).status, 404);
    const elsewhere = await post(a!, `/labpool/servers/${B}/handover`, { to: '127.0.0.1:8033' });
    assert.deepEqual([elsewhere.status, elsewhere.location, elsewhere.type], [307, 'http://127.0.0.1:8033/labpool/servers/127.0.0.1:8032/handover', 'application/problem+json']);
    assert.match(String(elsewhere.body.detail), /runs on the server that takes the devices over/);
    const alive = await post(a!, `/labpool/servers/${B}/handover`, { to: A });
    assert.equal(alive.status, 409);
    assert.match(String(alive.body.detail), /is alive .*"force": true/);
    assert.equal(a!.labpool.lab.context.readModels.devices.get(ON_B)?.imagingServer, B);
  });

  it('moves B’s device to A: A honours the deadline B armed, B refuses its own timer and says so', async () => {
    const [a, b] = servers;
    const forced = await b!.labpool.part(mozpoolDialect).lab.commands.forceState(ON_B, 'ready', 'pc_rebooting', { actor: 'test' });
    assert.ok(forced.ok);
    const answer = await post(a!, `/labpool/servers/${B}/handover`, { to: A, force: true });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual([answer.body.from, answer.body.to, answer.body.devices, answer.body.refused], [B, A, [ON_B], []]);
    // Every read model shows the new owner: A's at once (read-your-writes), B's once it has read the log that far.
    assert.equal(a!.labpool.lab.context.readModels.devices.get(ON_B)?.imagingServer, A);
    await waitFor(() => b!.labpool.lab.context.readModels.devices.get(ON_B)?.imagingServer === A);
    const details = (await (await fetch(`${a!.labpool.url}/api/device/list/?details=1`)).json()) as { devices: { name: string; imaging_server: string }[] };
    assert.equal(details.devices.find((device) => device.name === ON_B)?.imaging_server, A);
    // A's actor fires the deadline: pc_rebooting times out into pc_pinging, and A's verify brings it to ready.
    await waitFor(async () => (await eventsOf(a!, ON_B)).some((event) => isTimeoutOutOf(event, 'pc_rebooting')), 10_000);
    const timedOut = (await eventsOf(a!, ON_B)).find((event) => isTimeoutOutOf(event, 'pc_rebooting'))!;
    assert.equal(timedOut.metadata.server, A);
    await waitFor(() => a!.labpool.lab.context.readModels.devices.get(ON_B)?.state === 'ready', 10_000);
    // B's timer fired too: refused, with a warn line naming the new owner.
    const message = new RegExp(`^device ${ON_B} was handed over to ${A.replaceAll('.', '\\.')} at \\S+Z; this server no longer acts on it$`);
    await waitFor(() => b!.log.some((line) => message.test(String(line.msg))), 10_000);
    assert.ok((await eventsOf(a!, ON_B)).every((event) => event.metadata.server !== B || event.revision < timedOut.revision));
    const log = a!.labpool.lab.context.readModels.devices.log(ON_B).map((line) => line.message);
    assert.ok(log.includes(`handed over from server ${B} to server ${A}`), log.join('\n'));
  });

  it('B refuses a direct command, and its inventory sync neither takes the device back nor lets A retire it', async () => {
    const [a, b] = servers;
    const direct = await b!.labpool.lab.context.kinds.devices.ask(ON_B, { type: 'SetComments', comments: 'mine', nowMs: Date.now() });
    assert.equal(direct.ok, false);
    assert.match(direct.ok ? '' : direct.rejection.message, /was handed over to 127\.0\.0\.1:8031 at .*; this server no longer acts on it/);
    const before = (await eventsOf(a!, ON_B)).length;
    await syncInventory(b!.labpool.lab, inventory, { force: false });
    await syncInventory(a!.labpool.lab, inventory, { force: false });
    assert.equal((await eventsOf(a!, ON_B)).length, before);
    for (const server of servers) assert.equal(server.labpool.lab.context.readModels.devices.get(ON_B)?.imagingServer, A);
    const rows = await serversSeenBy(b!);
    assert.deepEqual(
      rows.map(({ id, devices }) => ({ id, devices })),
      [
        { id: A, devices: 2 },
        { id: B, devices: 0 },
      ],
    );
    assert.equal(a!.labpool.lab.context.readModels.devices.get(ON_A)?.imagingServer, A);
  });
});

function isTimeoutOutOf(event: RecordedEvent, state: string): boolean {
  const data = event.data as { from?: string; trigger?: string };
  return event.type === 'DeviceStateEntered' && data.from === state && data.trigger === 'timeout';
}
