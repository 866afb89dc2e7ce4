import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syncInventory } from '../../src/lab/inventory-sync.js';
import { startLabpool, type RunningLabpool } from '../../src/labpool.js';
import { allRequests, checkAnswers, checkStore, checkViews, deviceDetails, raceAny, requestAny, waitForAllReady, type RaceServer } from '../support/any-race.js';
import { createFakeHardware, type FakeHardware } from '../support/fake-hardware.js';
import { createTestConfig, createTestInventory, forceReady } from '../support/lab-harness.js';
import { createMemoryLog, type LogLine } from '../support/memory-log.js';
import { waitFor } from '../support/wait-for.js';

const SERVER_IDS = ['127.0.0.1:8021', '127.0.0.1:8022'] as const;
/** A third server on the same file that owns no device. */
const IDLE_SERVER_ID = '127.0.0.1:8023';
const DEVICES = 100;
const REQUESTS = 300;

type Server = RaceServer & { readonly labpool: RunningLabpool; readonly fake: FakeHardware; readonly log: LogLine[] };

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
      servers.push({ id, url: labpool.url, labpool, fake, log: lines, devices });
    }
    idle = servers.pop()!;
    // Each server applies the file's catalogue and its own devices, both at once: the catalogue streams are shared.
    await Promise.all(servers.map((server) => syncInventory(server.labpool.lab, inventory, { force: false })));
    for (const server of servers) {
      for (const name of server.devices) await forceReady(server.labpool, name);
      for (const name of server.devices) server.fake.power.delete(name);
    }
    // Both servers see every device ready and free before the race.
    for (const server of [...servers, idle]) await waitForAllReady(server, DEVICES);
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
    const answers = await raceAny(`two writers, ${DEVICES} devices`, servers, REQUESTS);
    const winners = checkAnswers(answers, servers);
    // Every server's view, the idle one's too, agrees with the answers, and each device's holder with its request.
    for (const server of [...servers, idle]) await checkViews(server, winners);

    // No request is left stuck: every one reaches pending with its device imaging, on every view.
    for (const server of [...servers, idle]) {
      await waitFor(async () => (await allRequests(server)).every((request) => request.state === 'pending'));
      await waitFor(async () => (await deviceDetails(server)).every((device) => device.request_id === null || device.state === 'pxe_booting'));
    }

    await checkStore({ kind: 'sqlite', path: storePath, synchronous: 'NORMAL' }, winners);
    for (const server of [...servers, idle]) assert.deepEqual(server.log, [], `${server.id} logged no error`);
  });
});
