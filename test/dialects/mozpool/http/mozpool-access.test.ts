import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SecurityConfig } from '../../../../src/config/config.js';
import { createTestInventory, startTestLab, type TestLab } from '../../../support/lab-harness.js';
import { createTokenOf, send, startLabWithUsers, tokenHeader, type HttpReply } from '../../../support/locked-lab.js';

const DEVICE = 'panda-0001';
/** LifeGuard's device-side routes, as the OpenAPI document names them: limited by address, never by token. */
const DEVICE_SIDE = new Set(['/api/device/{id}/event/{event}/', '/api/device/{id}/bootconfig/', '/api/device/{id}/config/', '/api/device/{id}/bootcomplete/']);
/** MozPool's GET-style commands: a GET that changes something. */
const GET_COMMANDS = new Set(['/api/device/{id}/power-off/', '/api/request/{id}/event/{event}/']);
/** Under `/api/` but not MozPool's: vmpooler's versions, the event tail, audit replay, the document itself. */
const NOT_MOZPOOL = /^\/api\/(v0|v1|v3|v1\.0)\/|^\/api\/events\/|^\/api\/openapi\.json|\/(history|boots)\/$/;

function assertMozpoolError(reply: HttpReply, status: number, message: RegExp): void {
  assert.equal(reply.status, status, reply.text);
  assert.match(reply.headers.get('content-type') ?? '', /^application\/json/);
  assert.deepEqual(Object.keys(reply.body as object), ['error']);
  assert.match(String(reply.body.error), message);
}

/** A concrete path for an OpenAPI path of MozPool's, with values its handlers accept. */
function concretePath(path: string): string {
  const id = path.startsWith('/api/request/') ? '1' : path.includes('pxe_config') ? 'panda-ubuntu' : DEVICE;
  return path.replace('{id}', id).replace('{event}', 'nothing_happened').replace('{from}', 'ready').replace('{to}', 'ready').replace('{image}', 'ubuntu');
}

/** Every MozPool operation of the running app, from its OpenAPI document (read from the router). */
async function mozpoolOperations(url: string): Promise<{ method: string; path: string }[]> {
  const document = (await send(url, 'GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(document.paths)
    .filter(([path]) => path.startsWith('/api/') && !NOT_MOZPOOL.test(path))
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path })));
}

describe('MozPool with security.mozpoolWritesNeedToken', () => {
  let lab: TestLab;
  const tokens: Record<string, string> = {};

  before(async () => {
    lab = await startLabWithUsers(createTestInventory(2), { config: { security: { mozpoolWritesNeedToken: true, deviceSources: null } } });
    for (const name of ['ada', 'otto', 'ursula'] as const) tokens[name] = await createTokenOf(lab.url, name);
  });
  after(() => lab?.labpool.stop());

  it('locks every write route and GET-style command without a token, in MozPool’s shape; reads and device-side routes stay open', async () => {
    const operations = await mozpoolOperations(lab.url);
    assert.ok(operations.length >= 30, `only ${operations.length} MozPool operations found`);
    const locked: string[] = [];
    for (const { method, path } of operations) {
      const reply = await send(lab.url, method, concretePath(path));
      const shouldLock = !DEVICE_SIDE.has(path) && (method !== 'GET' || GET_COMMANDS.has(path));
      if (shouldLock) {
        assertMozpoolError(reply, 401, /X-Auth-Token/);
        assert.match(reply.headers.get('www-authenticate') ?? '', /^X-Auth-Token/);
        locked.push(`${method} ${path}`);
      } else {
        assert.notEqual(reply.status, 401, `${method} ${path}: ${reply.text}`);
        assert.notEqual(reply.status, 403, `${method} ${path}: ${reply.text}`);
      }
    }
    for (const write of ['POST /api/device/{id}/request/', 'POST /api/device/{id}/state-change/{from}/to/{to}/', 'POST /api/device/{id}/power-cycle/', 'GET /api/device/{id}/power-off/']) {
      assert.ok(locked.includes(write), `${write} is not locked`);
    }
  });

  it('answers 401 to a token that is not valid and 403 to a user without admin or operator', async () => {
    const path = `/api/device/${DEVICE}/set-comments/`;
    assertMozpoolError(await send(lab.url, 'POST', path, { headers: tokenHeader('abcdefghijklmnopqrstuvwxyz012345'), body: { comments: 'x' } }), 401, /not valid/);
    assertMozpoolError(await send(lab.url, 'POST', path, { headers: tokenHeader(tokens['ursula']!), body: { comments: 'x' } }), 403, /^user ursula has no role admin or operator$/);
    assertMozpoolError(await send(lab.url, 'GET', `/api/device/${DEVICE}/power-off/`, { headers: tokenHeader(tokens['ursula']!) }), 403, /ursula/);
  });

  it('lets operator and admin tokens write', async () => {
    const comments = await send(lab.url, 'POST', `/api/device/${DEVICE}/set-comments/`, { headers: tokenHeader(tokens['otto']!), body: { comments: 'locked door, opened by otto' } });
    assert.equal(comments.status, 200, comments.text);
    const list = await send(lab.url, 'GET', '/api/device/list/?details=1');
    assert.equal((list.body.devices as { name: string; comments: string }[]).find((device) => device.name === DEVICE)?.comments, 'locked door, opened by otto');
    const request = await send(lab.url, 'POST', '/api/device/any/request/', { headers: tokenHeader(tokens['ada']!), body: { assignee: 'ada', duration: 60, image: 'ubuntu' } });
    assert.equal(request.status, 200, request.text);
    const returned = await send(lab.url, 'POST', `/api/request/${request.body.request.id}/return/`, { headers: tokenHeader(tokens['ada']!) });
    assert.equal(returned.status, 204, returned.text);
  });

  it('leaves vmpooler’s routes under /api/v1/ to vmpooler, and an unknown route a 404', async () => {
    assert.equal((await send(lab.url, 'GET', '/api/v1/vm')).status, 200);
    assert.deepEqual((await send(lab.url, 'POST', '/api/v1/nothing')).body, { ok: false });
    assertMozpoolError(await send(lab.url, 'POST', '/api/nothing/here/'), 404, /no route/);
  });
});

describe('MozPool without the setting', () => {
  let lab: TestLab;
  before(async () => {
    lab = await startLabWithUsers(createTestInventory(1));
  });
  after(() => lab?.labpool.stop());

  it('stays open to writes, as MozPool was, even with users configured', async () => {
    const reply = await send(lab.url, 'POST', `/api/device/${DEVICE}/set-comments/`, { body: { comments: 'open door' } });
    assert.equal(reply.status, 200, reply.text);
  });
});

describe('MozPool’s token lock with no users', () => {
  it('refuses to start: no token could open it', async () => {
    await assert.rejects(startTestLab(createTestInventory(1), { config: { security: { mozpoolWritesNeedToken: true, deviceSources: null } } }), /security\.mozpoolWritesNeedToken needs users/);
  });
});

describe('security.deviceSources', () => {
  const labs: TestLab[] = [];
  async function startLab(host: string, deviceSources: readonly string[]): Promise<TestLab> {
    const security: SecurityConfig = { mozpoolWritesNeedToken: false, deviceSources };
    const lab = await startTestLab(createTestInventory(1), { config: { http: { host, port: 0 }, security } });
    labs.push(lab);
    return lab;
  }
  after(async () => {
    for (const lab of labs) await lab.labpool.stop();
  });

  const deviceSide = [
    ['POST', `/api/device/${DEVICE}/event/nothing_happened/`],
    ['GET', `/api/device/${DEVICE}/event/nothing_happened/`],
    ['GET', `/api/device/${DEVICE}/bootconfig/`],
    ['GET', `/api/device/${DEVICE}/config/`],
    ['POST', `/api/device/${DEVICE}/bootcomplete/`],
  ] as const;

  it('answers 403 in MozPool’s shape to a caller outside the blocks, on the device-side routes only', async () => {
    const lab = await startLab('127.0.0.1', ['192.0.2.0/24', 'fd00::/8']);
    for (const [method, path] of deviceSide) assertMozpoolError(await send(lab.url, method, path), 403, /^this route answers devices only: 127\.0\.0\.1 is not within security\.deviceSources$/);
    assert.equal((await send(lab.url, 'GET', `/api/device/${DEVICE}/status/`)).status, 200);
    assert.equal((await send(lab.url, 'POST', `/api/device/${DEVICE}/set-comments/`, { body: { comments: 'not a device route' } })).status, 200);
  });

  it('answers callers inside an IPv4 block', async () => {
    const lab = await startLab('127.0.0.1', ['192.0.2.0/24', '127.0.0.0/8']);
    for (const [method, path] of deviceSide) assert.ok([200, 204].includes((await send(lab.url, method, path)).status), `${method} ${path}`);
  });

  it('matches IPv6 callers against IPv6 blocks', async () => {
    const inside = await startLab('::1', ['127.0.0.0/8', '::1/128']);
    assert.equal((await send(inside.url, 'GET', `/api/device/${DEVICE}/bootconfig/`)).status, 200);
    const outside = await startLab('::1', ['127.0.0.0/8', 'fd00::/8']);
    assertMozpoolError(await send(outside.url, 'GET', `/api/device/${DEVICE}/bootconfig/`), 403, /^this route answers devices only: ::1 is not within security\.deviceSources$/);
  });
});
