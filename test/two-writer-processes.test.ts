import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkAnswers, checkStore, checkViews, deviceDetails, raceAny, waitForAllReady, type RaceServer } from './support/any-race.js';
import { findFreeTcpPort, findFreeUdpPort } from './support/free-port.js';
import { createTestInventory, inventoryFileText } from './support/lab-harness.js';
import { killHard, startServerProcess, type ServedProcess } from './support/labpool-processes.js';
import { waitFor } from './support/wait-for.js';

const DEVICES = 100;
const REQUESTS = 300;

/** Forces `device` into `ready` from whatever state its self-test (against a PDU that never answers) left it in. */
async function forceReadyOver(server: RaceServer, device: string): Promise<void> {
  await waitFor(async () => {
    const { state } = (await (await fetch(`${server.url}/api/device/${device}/state/`)).json()) as { state: string };
    if (state === 'ready') return true;
    await fetch(`${server.url}/api/device/${device}/state-change/${state}/to/ready/`, { method: 'POST' });
    return false;
  }, 60_000);
}

/**
 * `npm start` twice on one SQLite file, each process the imaging server of half the devices (their
 * PDU never answers: the race is about assignment), 300 `any` requests at once over real HTTP.
 */
describe('two labpool processes writing one SQLite file', () => {
  let dir: string;
  let storePath: string;
  const processes: ServedProcess[] = [];
  const servers: RaceServer[] = [];
  /** Where every device "answers" verify: a device entering `ready` checks it, and a failure starts a self-test. */
  let verifyListener: Server;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'labpool-two-processes-'));
    storePath = join(dir, 'events.db');
    const ports = [await findFreeTcpPort(), await findFreeTcpPort()];
    const ids = ports.map((port) => `127.0.0.1:${port}`);
    const silentPdu = await findFreeUdpPort();
    verifyListener = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => verifyListener.listen(0, '127.0.0.1', resolve));
    const verify = { tcpPort: (verifyListener.address() as { port: number }).port };
    const base = createTestInventory(DEVICES);
    const images = base.images.map((image) => ({ ...image, verify }));
    const devices = base.devices.map((device, i) => ({ ...device, fqdn: '127.0.0.1', imagingServer: ids[i % 2]!, relayInfo: `127.0.0.1:${silentPdu}/${i + 1}` }));
    const inventoryFile = join(dir, 'inventory.json');
    writeFileSync(inventoryFile, inventoryFileText({ ...base, images, devices }));
    const configs = await Promise.all(
      ids.map(async (serverId, i) => {
        const configFile = join(dir, `labpool-${i}.json`);
        const tftp = { host: '127.0.0.1', port: await findFreeUdpPort(), root: join(dir, `tftp-${i}`) };
        const config = {
          serverId,
          http: { host: '127.0.0.1', port: ports[i] },
          store: { kind: 'sqlite', path: storePath, synchronous: 'NORMAL' },
          inventory: { file: inventoryFile },
          hardware: { tftp, power: { timeoutMs: 200, retries: 1 }, verify: { timeoutMs: 2000, defaultTcpPort: verify.tcpPort } },
        };
        writeFileSync(configFile, JSON.stringify(config));
        return configFile;
      }),
    );
    // Both at once: each applies the file's shared catalogue and its own devices while the other does.
    // Each kept as soon as it serves, so that `after` stops it even when the other fails to start.
    await Promise.all(configs.map(async (configFile, i) => (processes[i] = await startServerProcess(configFile))));
    servers.push(...ids.map((id, i) => ({ id, url: processes[i]!.url, devices: devices.filter((device) => device.imagingServer === id).map((device) => device.name) })));
    await Promise.all(servers.flatMap((server) => server.devices.map((device) => forceReadyOver(server, device))));
    for (const server of servers) await waitForAllReady(server, DEVICES, 60_000);
  });

  after(async () => {
    for (const served of processes) await killHard(served);
    await new Promise((resolve) => verifyListener.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives each device to one request at most, from its own process; the rest get 409, none 5xx', async () => {
    const answers = await raceAny(`two processes, ${DEVICES} devices`, servers, REQUESTS);
    const winners = checkAnswers(answers, servers);
    for (const server of servers) await checkViews(server, winners);
    await checkStore(storePath, winners);
    for (const [i, served] of processes.entries()) {
      assert.doesNotMatch(served.output(), /"level":(50|60)/, `process ${i} logged no error`);
      assert.equal(served.child.exitCode, null, `process ${i} still runs`);
    }
    assert.ok((await deviceDetails(servers[0]!)).length === DEVICES);
  });
});
