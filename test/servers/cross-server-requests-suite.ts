import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createEventStore } from '../../src/store/create-store.js';
import { startLabServers, type LabServer, type LabServers, type StoreSetting } from '../support/lab-servers.js';
import { waitFor } from '../support/wait-for.js';

type Device = { name: string; imaging_server: string; state: string; image: string; request_id: number | null };
type Opened = { request: { id: number; assigned_device: string; url: string } };

async function getJson<Body>(url: string): Promise<Body> {
  const response = await fetch(url);
  assert.equal(response.status, 200, `GET ${url}`);
  return (await response.json()) as Body;
}

const devicesOn = async (server: LabServer) => (await getJson<{ devices: Device[] }>(`${server.url}/api/device/list/?details=1`)).devices;
const requestState = async (server: LabServer, id: number) => (await getJson<{ state: string }>(`${server.url}/api/request/${id}/status/`)).state;

async function request(server: LabServer, device: string, image = 'android', duration = 600): Promise<Response> {
  return fetch(`${server.url}/api/device/${device}/request/`, { method: 'POST', body: JSON.stringify({ assignee: 'e2e', duration, image }) });
}

async function opened(server: LabServer, device: string, image?: string): Promise<Opened['request']> {
  const response = await request(server, device, image);
  const body = (await response.json()) as Opened;
  assert.equal(response.status, 200, `${server.prefix} requesting ${device}: ${JSON.stringify(body)}`);
  return body.request;
}

/** Every server sees every device, and `check` holds for each. */
async function waitForDevices(servers: readonly LabServer[], check: (device: Device) => boolean, timeoutMs = 60_000): Promise<void> {
  const total = servers.reduce((sum, server) => sum + server.devices.length, 0);
  for (const server of servers) {
    await waitFor(async () => {
      const devices = await devicesOn(server);
      return devices.length === total && devices.every(check);
    }, timeoutMs).catch(async (error: unknown) => assert.fail(`${server.prefix}: ${String(error)}: ${JSON.stringify((await devicesOn(server)).map((d) => [d.name, d.state, d.request_id]))}`));
  }
}

/** The servers that wrote `device`'s events while it was imaged for `requestId` (attach to ready). */
async function writersOfImaging(store: StoreSetting, device: string, requestId: number): Promise<Set<string>> {
  const events = createEventStore(store);
  try {
    const stream = await events.readStream(`device-${device}`);
    const attached = stream.findIndex((event) => event.type === 'DeviceHolderAttached' && (event.data as { holder: { id: string } }).holder.id === String(requestId));
    return new Set(stream.slice(attached).map((event) => String(event.metadata.server)));
  } finally {
    await events.close();
  }
}

export function crossServerSuite(label: string, storeOf: () => Promise<{ store: (dir: string) => StoreSetting; stop(): Promise<void> }>): void {
  describe(`three servers on ${label}: requests for every server's devices from every server`, () => {
    let lab: LabServers;
    let backend: Awaited<ReturnType<typeof storeOf>>;
    let store: StoreSetting;
    const servers = () => lab.servers;

    before(async () => {
      backend = await storeOf();
      lab = await startLabServers({ count: 3, devicesEach: 3, store: (dir) => (store = backend.store(dir)) });
      await waitForDevices(servers(), (device) => device.state === 'ready' && device.request_id === null);
    });

    after(async () => {
      await lab?.stop();
      await backend?.stop();
    });

    it('images a device through its own server whichever server took the request, and every server sees it held', async () => {
      // Server i asks for device i of every server: nine requests at once, six of them across servers.
      const asks = servers().flatMap((asker, i) => servers().map((owner) => ({ asker, owner, device: owner.devices[i]! })));
      const requests = await Promise.all(asks.map(async (ask) => ({ ...ask, request: await opened(ask.asker, ask.device) })));
      for (const { asker, device, request: opened } of requests) {
        assert.equal(opened.assigned_device, device);
        assert.equal(opened.url, `http://${asker.id}/api/request/${opened.id}/`, 'the request belongs to the server that took it');
      }
      await Promise.all(requests.map(({ asker, request: opened }) => waitFor(async () => (await requestState(asker, opened.id)) === 'ready', 90_000)));
      const heldBy = new Map(requests.map(({ device, request: opened }) => [device, opened.id]));
      await waitForDevices(servers(), (device) => device.request_id === heldBy.get(device.name) && device.image === 'android' && device.state === 'ready');
      for (const { owner, device, request: opened } of requests) assert.deepEqual(await writersOfImaging(store, device, opened.id), new Set([owner.id]), `${device}: only its owner wrote it`);

      // Return, renewal to a second (expiry) and renewal: each ends on the request's server and frees the device on its owner.
      const [returned, expiring] = [requests.filter((_, i) => i % 3 === 0), requests.filter((_, i) => i % 3 === 1)];
      for (const { asker, request: opened } of returned) assert.equal((await fetch(`${asker.url}/api/request/${opened.id}/return/`, { method: 'POST' })).status, 204);
      for (const { asker, request: opened } of expiring)
        assert.equal((await fetch(`${asker.url}/api/request/${opened.id}/renew/`, { method: 'POST', body: JSON.stringify({ duration: 1 }) })).status, 204);
      const freed = new Set([...returned, ...expiring].map(({ device }) => device));
      await waitForDevices(servers(), (device) => (freed.has(device.name) ? device.request_id === null : device.request_id === heldBy.get(device.name)));
      for (const { asker, request: opened } of [...returned, ...expiring]) assert.equal(await requestState(asker, opened.id), 'closed');
    });

    it('redirects a renewal sent to another server to the request’s own, as MozPool did', async () => {
      const [alpha, bravo] = servers();
      const opened = await getJson<{ requests: { id: number; imaging_server: string; state: string }[] }>(`${bravo!.url}/api/request/list/`);
      const mine = opened.requests.find((candidate) => candidate.imaging_server === alpha!.id && candidate.state !== 'closed')!;
      const response = await fetch(`${bravo!.url}/api/request/${mine.id}/renew/`, { method: 'POST', body: JSON.stringify({ duration: 60 }), redirect: 'manual' });
      assert.equal(response.status, 302);
      assert.equal(response.headers.get('location'), `http://${alpha!.id}/api/request/${mine.id}/renew/`);
    });

    it('refuses a device that another server’s request holds, and gives `any` a local device first, then another server’s', async () => {
      const [alpha, bravo, charlie] = servers();
      const held = (await devicesOn(alpha!)).find((device) => device.request_id !== null)!;
      const refused = await request(charlie!, held.name);
      assert.equal(refused.status, 409);
      assert.match(((await refused.json()) as { error: string }).error, /not free/);

      const freeOf = async (server: LabServer) => (await devicesOn(server)).filter((device) => device.request_id === null && device.imaging_server === server.id).map((device) => device.name);
      const local = await Promise.all((await freeOf(bravo!)).map(() => opened(bravo!, 'any', 'ubuntu')));
      assert.ok(local.length > 0);
      assert.ok(
        local.every((lease) => lease.assigned_device.startsWith(`${bravo!.prefix}-`)),
        JSON.stringify(local),
      );
      const remote = await opened(bravo!, 'any', 'ubuntu');
      assert.ok(!remote.assigned_device.startsWith(`${bravo!.prefix}-`), `bravo had no free device left: ${remote.assigned_device} is another server's`);
      await waitFor(async () => (await requestState(bravo!, remote.id)) === 'ready', 90_000);
      assert.equal((await devicesOn(charlie!)).find((device) => device.name === remote.assigned_device)?.request_id, remote.id);
    });
  });
}
