import { request as httpRequest } from 'node:http';
import assert from 'node:assert/strict';
import { createEventStore } from '../../src/store/create-store.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { StoreSetting } from './lab-servers.js';
import { LOG_START } from '../../src/store/port.js';
import { waitFor } from './wait-for.js';

/** A MozPool server in a race: its id, where it answers and the devices it owns. */
export type RaceServer = { readonly id: string; readonly url: string; readonly devices: readonly string[] };
export type RaceAnswer = { readonly server: string; readonly status: number; readonly body: { request?: { id: number; assigned_device: string }; error?: string } };
export type DeviceDetails = { name: string; imaging_server: string; state: string; request_id: number | null };
export type RequestView = { id: number; imaging_server: string; state: string; assigned_device: string };

async function get<Body>(server: RaceServer, path: string): Promise<Body> {
  const response = await fetch(`${server.url}${path}`);
  assert.equal(response.status, 200, `GET ${path} on ${server.id}`);
  return (await response.json()) as Body;
}

export const deviceDetails = async (server: RaceServer) => (await get<{ devices: DeviceDetails[] }>(server, '/api/device/list/?details=1')).devices;
export const allRequests = async (server: RaceServer) => (await get<{ requests: RequestView[] }>(server, '/api/request/list/?include_closed=1')).requests;
const isOpen = (request: RequestView) => request.state !== 'closed' && !request.state.startsWith('failed_');

/** Waits until `server` sees `count` devices, every one ready and free. */
export function waitForAllReady(server: RaceServer, count: number, timeoutMs?: number): Promise<void> {
  return waitFor(async () => {
    const devices = await deviceDetails(server);
    return devices.length === count && devices.every((device) => device.state === 'ready' && device.request_id === null);
  }, timeoutMs);
}

/**
 * One POST on a connection of its own: a race's requests must not go out on a kept-alive socket that
 * the server is closing at that moment (its keep-alive timeout), which resets them before they are read.
 */
function postJson(url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

export async function requestAny(server: RaceServer): Promise<RaceAnswer> {
  const url = `${server.url}/api/device/any/request/`;
  try {
    const { status, text } = await postJson(url, JSON.stringify({ assignee: 'racer', duration: 600, image: 'ubuntu' }));
    return { server: server.id, status, body: JSON.parse(text) as RaceAnswer['body'] };
  } catch (error) {
    throw new Error(`POST ${url} failed: ${String(error)}`, { cause: error });
  }
}

/**
 * Fires `count` `any` requests at once, spread over `servers` round-robin, or by `weights` (server i
 * gets weights[i] of every sum(weights)); prints the answers' histogram per server.
 */
export async function raceAny(label: string, servers: readonly RaceServer[], count: number, weights: readonly number[] = servers.map(() => 1)): Promise<RaceAnswer[]> {
  const turns = servers.flatMap((server, i) => Array.from({ length: weights[i] ?? 1 }, () => server));
  const startedMs = performance.now();
  const answers = await Promise.all(Array.from({ length: count }, (_, i) => requestAny(turns[i % turns.length]!)));
  const raceMs = Math.round(performance.now() - startedMs);
  const histogram: Record<string, number> = {};
  for (const { server, status } of answers) histogram[`${server} ${status}`] = (histogram[`${server} ${status}`] ?? 0) + 1;
  console.log(`${label}: ${count} any requests in ${raceMs} ms: ${JSON.stringify(histogram)}`);
  return answers;
}

/**
 * Only 200 and 409 (with an error); no device or request id twice. Without `crossServer` each
 * server gave its own devices only, and all of them. (Across servers a burst may leave a device no
 * request's sampled candidates named: the caller asks again afterwards.) Returns the winners: request id → device.
 */
export function checkAnswers(answers: readonly RaceAnswer[], servers: readonly RaceServer[], options: { crossServer?: boolean } = {}): Map<number, string> {
  assert.deepEqual(
    answers.filter((answer) => answer.status !== 200 && answer.status !== 409),
    [],
    'only 200 and 409',
  );
  assert.ok(answers.every((answer) => answer.status === 200 || typeof answer.body.error === 'string'));
  const winners = answers.filter((answer) => answer.status === 200);
  assert.equal(new Set(winners.map((answer) => answer.body.request!.assigned_device)).size, winners.length, 'no device given twice');
  assert.equal(new Set(winners.map((answer) => answer.body.request!.id)).size, winners.length, 'no request id given twice');
  for (const server of options.crossServer === true ? [] : servers) {
    const mine = winners.filter((answer) => answer.server === server.id).map((answer) => answer.body.request!.assigned_device);
    assert.ok(
      mine.every((device) => server.devices.includes(device)),
      `${server.id} hands out its own devices only`,
    );
    assert.equal(mine.length, server.devices.length, `${server.id} hands out every one of its devices`);
  }
  return new Map(winners.map((answer) => [answer.body.request!.id, answer.body.request!.assigned_device]));
}

/** `viewer`'s request list (closed ones too) is exactly the winners, all open, and each device's holder is its request. */
export async function checkViews(viewer: RaceServer, winners: ReadonlyMap<number, string>): Promise<void> {
  await waitFor(async () => (await allRequests(viewer)).length === winners.size);
  const requests = await allRequests(viewer);
  assert.ok(requests.every(isOpen), `${viewer.id}: every request is open`);
  assert.deepEqual(new Map(requests.map((request) => [request.id, request.assigned_device])), winners, `${viewer.id}: the requests are the 200 answers`);
  for (const device of await deviceDetails(viewer)) {
    const holder = requests.find((request) => request.assigned_device === device.name);
    assert.equal(device.request_id, holder?.id ?? null, `${viewer.id}: ${device.name} is held by its request`);
  }
}

/** Folds the holders of every device stream from the store's global log; fails on an attach to a held device. */
async function holdersInStore(setting: StoreSetting): Promise<{ holders: Map<string, string | null>; opened: Set<string> }> {
  const store = setting.kind === 'sqlite' ? openSqliteStore({ path: setting.path, writerThread: false }) : createEventStore(setting);
  const holders = new Map<string, string | null>();
  const opened = new Set<string>();
  try {
    for await (const event of store.readAll(LOG_START)) {
      const data = event.data as { holder?: { id: string }; to?: { id: string } };
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

/** The store itself: every attach found its device free, the opened requests are the winners, each holding its device. */
export async function checkStore(store: StoreSetting, winners: ReadonlyMap<number, string>): Promise<void> {
  const { holders, opened } = await holdersInStore(store);
  assert.deepEqual([...opened].sort(), [...winners.keys()].map(String).sort());
  for (const [id, device] of winners) assert.equal(holders.get(`device-${device}`), String(id));
  assert.equal([...holders.values()].filter((holder) => holder !== null).length, winners.size);
}
