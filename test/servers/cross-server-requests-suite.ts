import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createEventStore } from '../../src/store/create-store.js';
import { adminToken, startLabServers, type LabServer, type LabServers, type StoreSetting } from '../support/lab-servers.js';
import { killHard } from '../support/labpool-processes.js';
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

type StateEntry = { data: { from: string; to: string; trigger: string; atMs: number; timeoutAtMs: number | null }; server: string };

/** `device`'s state entries, with the server that wrote each. */
async function stateEntries(store: StoreSetting, device: string): Promise<StateEntry[]> {
  const events = createEventStore(store);
  try {
    const stream = await events.readStream(`device-${device}`);
    return stream.filter((event) => event.type === 'DeviceStateEntered').map((event) => ({ data: event.data as StateEntry['data'], server: String(event.metadata.server) }));
  } finally {
    await events.close();
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
      // A forced `pxe_booting` (no device boots) times out after 6 s: the deadline a handover must honour.
      const extra = { lifeguardLimits: { pxe_booting: { timeoutMs: 6_000 } } };
      lab = await startLabServers({ count: 3, devicesEach: 3, store: (dir) => (store = backend.store(dir)), extra });
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

    it('hands a killed server’s devices over: the new owner honours the deadline the dead one armed', async () => {
      const [alpha, bravo, charlie] = servers();
      const device = charlie!.devices[0]!;
      const forced = await fetch(`${charlie!.url}/api/device/${device}/state-change/ready/to/pxe_booting/`, { method: 'POST' });
      assert.equal(forced.status, 200);
      const entered = (await stateEntries(store, device)).at(-1)!;
      assert.equal(entered.data.to, 'pxe_booting');
      // charlie's own open request (it asked for its third device) will run on bravo, with its expiry.
      const charlies = (await getJson<{ requests: { id: number; imaging_server: string; state: string }[] }>(`${alpha!.url}/api/request/list/`)).requests.filter(
        (candidate) => candidate.state !== 'closed' && candidate.imaging_server === charlie!.id,
      );
      await killHard(charlie!.process);
      const serverView = async () => (await getJson<{ servers: { id: string; alive: boolean; devices: number }[] }>(`${bravo!.url}/labpool/servers`)).servers.find((view) => view.id === charlie!.id);
      await waitFor(async () => (await serverView())?.alive === false);
      // Until the handover charlie's devices cannot be had from elsewhere, and a request for one says why.
      const unanswered = await request(alpha!, charlie!.devices[1]!);
      assert.equal(unanswered.status, 409);
      assert.match(((await unanswered.json()) as { error: string }).error, new RegExp(`cannot be had now: its server ${charlie!.id.replaceAll('.', '\\.')} did not answer`));

      const headers = { 'x-auth-token': await adminToken(bravo!.url) };
      const response = await fetch(`${bravo!.url}/labpool/servers/${charlie!.id}/handover`, { method: 'POST', headers, body: JSON.stringify({ to: bravo!.id }) });
      const answer = (await response.json()) as { devices: string[]; holders: string[]; refused: unknown[] };
      assert.equal(response.status, 200, JSON.stringify(answer));
      assert.deepEqual([answer.devices, answer.refused], [charlie!.devices, []]);
      assert.deepEqual(answer.holders, [...charlies.map((candidate) => `request ${candidate.id}`)]);
      assert.ok(charlies.length > 0, 'charlie had an open request');
      const taken = charlies[0]!;
      const ownerOf = async (id: number) =>
        (await getJson<{ requests: { id: number; imaging_server: string }[] }>(`${bravo!.url}/api/request/list/`)).requests.find((candidate) => candidate.id === id)?.imaging_server;
      await waitFor(async () => (await ownerOf(taken.id)) === bravo!.id);
      assert.equal((await fetch(`${bravo!.url}/api/request/${taken.id}/renew/`, { method: 'POST', body: JSON.stringify({ duration: 1 }) })).status, 204);
      await waitFor(async () => (await requestState(bravo!, taken.id)) === 'closed');
      const living = [alpha!, bravo!];
      for (const server of living) await waitFor(async () => (await devicesOn(server)).filter((view) => view.imaging_server === bravo!.id).length === bravo!.devices.length + charlie!.devices.length);

      // The deadline charlie armed fires on bravo, not before its time.
      await waitFor(async () => (await stateEntries(store, device)).some((entry) => entry.data.from === 'pxe_booting' && entry.data.trigger === 'timeout'), 60_000);
      const timedOut = (await stateEntries(store, device)).find((entry) => entry.data.from === 'pxe_booting' && entry.data.trigger === 'timeout')!;
      assert.equal(timedOut.server, bravo!.id);
      assert.ok(timedOut.data.atMs >= entered.data.timeoutAtMs!, `timed out at ${timedOut.data.atMs}, due ${entered.data.timeoutAtMs}`);
      // The request of alpha that holds it releases it through its new owner.
      const { requests } = await getJson<{ requests: { id: number; state: string; assigned_device: string }[] }>(`${alpha!.url}/api/request/list/`);
      const holder = requests.find((candidate) => candidate.assigned_device === device && candidate.state !== 'closed')!;
      assert.equal((await fetch(`${alpha!.url}/api/request/${holder.id}/return/`, { method: 'POST' })).status, 204);
      await waitFor(async () => (await devicesOn(alpha!)).find((view) => view.name === device)?.request_id === null);
      const events = createEventStore(store);
      try {
        const detached = (await events.readStream(`device-${device}`)).filter((event) => event.type === 'DeviceHolderDetached').at(-1)!;
        assert.equal(detached.metadata.server, bravo!.id);
      } finally {
        await events.close();
      }
    });
  });
}
