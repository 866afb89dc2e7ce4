import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syncInventory } from '../../src/lab/inventory-sync.js';
import { startLabpool, type RunningLabpool } from '../../src/labpool.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { LOG_START } from '../../src/store/port.js';
import { createFakeHardware, type FakeHardware } from '../support/fake-hardware.js';
import { createTestConfig, createTestInventory, forceReady } from '../support/lab-harness.js';
import { createMemoryLog, type LogLine } from '../support/memory-log.js';
import { waitFor } from '../support/wait-for.js';

const SERVER_IDS = ['127.0.0.1:8021', '127.0.0.1:8022'] as const;
/** A third server on the same file that owns no device. */
const IDLE_SERVER_ID = '127.0.0.1:8023';
const DEVICES = 100;
const REQUESTS = 300;

type Server = { readonly id: string; readonly labpool: RunningLabpool; readonly fake: FakeHardware; readonly log: LogLine[]; readonly devices: string[] };
type Answer = { readonly server: string; readonly status: number; readonly body: { request?: { id: number; assigned_device: string }; error?: string } };
type DeviceDetails = { name: string; imaging_server: string; state: string; request_id: number | null };
type RequestView = { id: number; imaging_server: string; state: string; assigned_device: string };

async function get<Body>(server: Server, path: string): Promise<Body> {
  const response = await fetch(`${server.labpool.url}${path}`);
  assert.equal(response.status, 200, `GET ${path} on ${server.id}`);
  return (await response.json()) as Body;
}

const deviceDetails = async (server: Server) => (await get<{ devices: DeviceDetails[] }>(server, '/api/device/list/?details=1')).devices;
const allRequests = async (server: Server) => (await get<{ requests: RequestView[] }>(server, '/api/request/list/?include_closed=1')).requests;
const isOpen = (request: RequestView) => request.state !== 'closed' && !request.state.startsWith('failed_');

async function requestAny(server: Server): Promise<Answer> {
  const body = JSON.stringify({ assignee: 'racer', duration: 600, image: 'ubuntu' });
  const response = await fetch(`${server.labpool.url}/api/device/any/request/`, { method: 'POST', body });
  return { server: server.id, status: response.status, body: (await response.json()) as Answer['body'] };
}

/** Folds the holders of every device stream from the store's global log; throws on an attach to a held device. */
async function holdersInStore(path: string): Promise<{ holders: Map<string, string | null>; opened: Set<string> }> {
  const store = openSqliteStore({ path, writerThread: false });
  const holders = new Map<string, string | null>();
  const opened = new Set<string>();
  try {
    for await (const event of store.readAll(LOG_START)) {
      const data = event.data as { holder?: { id: string }; from?: { id: string }; to?: { id: string } };
      const held = holders.get(event.stream) ?? null;
      if (event.type === 'RequestOpened') opened.add(event.stream.replace(/^request-/, ''));
      if (event.type === 'DeviceHolderAttached') {
        assert.equal(held, null, `${event.stream}@${event.revision}: attached to ${data.holder?.id} while held by ${held}`);
        holders.set(event.stream, data.holder!.id);
      }
      if (event.type === 'DeviceHolderDetached') {
        assert.equal(held, data.holder!.id, `${event.stream}@${event.revision}: detached a holder it did not have`);
        holders.set(event.stream, null);
      }
      if (event.type === 'DeviceHolderTransferred') holders.set(event.stream, data.to!.id);
    }
  } finally {
    await store.close();
  }
  return { holders, opened };
}

/**
 * Two servers on one SQLite file, each the imaging server of half the devices, race 300 `any`
 * requests (150 each, all at once) over real HTTP: each server hands out only its own devices, no
 * device goes to two requests, the losers get 409 and nothing answers 5xx.
 */
describe('two servers writing one SQLite file', () => {
  let dir: string;
  let storePath: string;
  let servers: Server[];
  let idle: Server;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'labpool-two-writers-'));
    storePath = join(dir, 'events.db');
    const store = { kind: 'sqlite', path: storePath, synchronous: 'NORMAL' } as const;
    const base = createTestInventory(DEVICES);
    const inventory = { ...base, devices: base.devices.map((device, i) => ({ ...device, imagingServer: SERVER_IDS[i % 2]! })) };
    servers = [];
    for (const id of [...SERVER_IDS, IDLE_SERVER_ID]) {
      const fake = createFakeHardware();
      const devices = inventory.devices.filter((device) => device.imagingServer === id).map((device) => device.name);
      // A `new` device self-tests at once; a hanging power cycle holds it until it is forced ready.
      for (const name of devices) fake.power.set(name, 'hang');
      const { logger, lines } = createMemoryLog('error');
      const labpool = await startLabpool(createTestConfig({ serverId: id, store }), { hardware: fake.hardware, logger });
      servers.push({ id, labpool, fake, log: lines, devices });
    }
    idle = servers.pop()!;
    // Each server applies the file's catalogue and its own devices, both at once: the catalogue streams are shared.
    await Promise.all(servers.map((server) => syncInventory(server.labpool.lab, inventory, { force: false })));
    for (const server of servers) {
      for (const name of server.devices) await forceReady(server.labpool, name);
      for (const name of server.devices) server.fake.power.delete(name);
    }
    // Both servers see every device ready and free before the race.
    for (const server of [...servers, idle]) {
      await waitFor(async () => {
        const devices = await deviceDetails(server);
        return devices.length === DEVICES && devices.every((device) => device.state === 'ready' && device.request_id === null);
      });
    }
  });

  after(async () => {
    for (const server of [...servers, idle]) await server.labpool.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 409 to every any request on a server that owns no device, though it sees 100 free', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => requestAny(idle)));
    assert.deepEqual(
      answers.map((answer) => [answer.status, answer.body.error]),
      answers.map(() => [409, 'no free device']),
    );
    assert.ok((await deviceDetails(idle)).every((device) => device.request_id === null));
    assert.deepEqual(await allRequests(idle), []);
    assert.deepEqual(idle.log, []);
  });

  it('gives each device to one request at most, from its own server; the rest get 409, none 5xx', async () => {
    const startedMs = performance.now();
    const answers = await Promise.all(Array.from({ length: REQUESTS }, (_, i) => requestAny(servers[i % 2]!)));
    const raceMs = Math.round(performance.now() - startedMs);
    const histogram: Record<string, number> = {};
    for (const answer of answers) histogram[`${answer.server} ${answer.status}`] = (histogram[`${answer.server} ${answer.status}`] ?? 0) + 1;
    console.log(`two writers: ${REQUESTS} any requests on ${DEVICES} devices in ${raceMs} ms: ${JSON.stringify(histogram)}`);

    const errors = answers.filter((answer) => answer.status !== 200 && answer.status !== 409);
    assert.deepEqual(errors, [], 'only 200 and 409');
    const winners = answers.filter((answer) => answer.status === 200);
    assert.ok(answers.every((answer) => answer.status === 200 || typeof answer.body.error === 'string'));
    const assigned = winners.map((answer) => answer.body.request!.assigned_device);
    assert.equal(new Set(assigned).size, winners.length, 'no device given twice');
    assert.equal(new Set(winners.map((answer) => answer.body.request!.id)).size, winners.length, 'no request id given twice');
    for (const server of servers) {
      const mine = winners.filter((answer) => answer.server === server.id);
      assert.ok(
        mine.every((answer) => server.devices.includes(answer.body.request!.assigned_device)),
        `${server.id} hands out its own devices only`,
      );
      assert.equal(mine.length, server.devices.length, `${server.id} hands out every one of its devices`);
    }

    // Every server's view, the idle one's too, agrees with the answers, and each device's holder with its request.
    const winnerIds = new Map(winners.map((answer) => [answer.body.request!.id, answer.body.request!.assigned_device]));
    for (const server of [...servers, idle]) {
      await waitFor(async () => (await allRequests(server)).length === winners.length);
      const requests = await allRequests(server);
      assert.ok(requests.every(isOpen), `${server.id}: every request is open`);
      assert.deepEqual(new Map(requests.map((request) => [request.id, request.assigned_device])), winnerIds, `${server.id}: the requests are the 200 answers`);
      for (const device of await deviceDetails(server)) {
        const holder = requests.find((request) => request.assigned_device === device.name);
        assert.equal(device.request_id, holder?.id ?? null, `${server.id}: ${device.name} is held by its request`);
      }
    }

    // No request is left stuck: every one reaches pending with its device imaging, on every view.
    for (const server of [...servers, idle]) {
      await waitFor(async () => (await allRequests(server)).every((request) => request.state === 'pending'));
      await waitFor(async () => (await deviceDetails(server)).every((device) => device.request_id === null || device.state === 'pxe_booting'));
    }

    // The store itself: every attach found its device free; each device is held by the request it was given to.
    const { holders, opened } = await holdersInStore(storePath);
    assert.deepEqual([...opened].sort(), [...winnerIds.keys()].map(String).sort());
    for (const [id, device] of winnerIds) assert.equal(holders.get(`device-${device}`), String(id));
    assert.equal([...holders.values()].filter((holder) => holder !== null).length, winners.length);

    for (const server of [...servers, idle]) assert.deepEqual(server.log, [], `${server.id} logged no error`);
  });
});
