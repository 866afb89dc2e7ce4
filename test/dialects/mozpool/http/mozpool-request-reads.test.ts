import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { START_MS, startMozpoolTestServer, withAndWithoutSlash } from '../../../support/mozpool-http.js';
import type { MozpoolTestServer } from '../../../support/mozpool-http.js';
import { aLog, aRequest } from '../../../support/mozpool-views.js';

const openRequest = aRequest({
  id: 7,
  assignee: 'ci@example.com',
  boot_config: '{"b2gbase":"x"}',
  state: 'ready',
  requested_device: 'any',
  environment: 'prod',
  image: 'b2g',
  assigned_device: 'panda-0001',
  device_state: 'ready',
});
const closedRequest = aRequest({ id: 3, state: 'closed', closed: true });

const openListItem = {
  id: 7,
  imaging_server: 'imaging1:8010',
  assignee: 'ci@example.com',
  boot_config: '{"b2gbase":"x"}',
  state: 'ready',
  expires: '2030-01-01T00:10:00.000Z',
  requested_device: 'any',
  environment: 'prod',
  assigned_device: 'panda-0001',
  device_state: 'ready',
  device_id: 'panda-0001',
  status: 'ready',
};

describe('MozPool request reads', () => {
  let t: MozpoolTestServer;
  beforeEach(async () => {
    t = await startMozpoolTestServer();
    t.readModels.addRequest(openRequest, aLog(150, START_MS, 'request'));
    t.readModels.addRequest(closedRequest);
  });
  afterEach(() => t.close());

  for (const path of withAndWithoutSlash('/api/request/list/')) {
    it(`GET ${path} → 200 with the open requests`, async () => {
      const reply = await t.send('GET', path);
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.body, { requests: [openListItem] });
    });
  }

  it('GET /api/request/list/?include_closed=1 → 200 with closed requests too', async () => {
    const reply = await t.send('GET', '/api/request/list/?include_closed=1');
    assert.equal(reply.status, 200);
    const ids = (reply.body as { requests: { id: number; state: string }[] }).requests.map((r) => [r.id, r.state]);
    assert.deepEqual(ids, [
      [7, 'ready'],
      [3, 'closed'],
    ]);
  });

  for (const path of withAndWithoutSlash('/api/request/7/details/')) {
    it(`GET ${path} → 200 with the fields at the top level and under "request"`, async () => {
      const details = {
        id: 7,
        requested_device: 'any',
        assignee: 'ci@example.com',
        expires: '2030-01-01T00:10:00.000Z',
        environment: 'prod',
        image: 'b2g',
        boot_config: '{"b2gbase":"x"}',
        assigned_device: 'panda-0001',
        url: 'http://imaging1:8010/api/request/7/',
        device_id: 'panda-0001',
        status: 'ready',
      };
      const reply = await t.send('GET', path);
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.body, { ...details, request: details });
    });
  }

  for (const path of withAndWithoutSlash('/api/request/7/status/')) {
    it(`GET ${path} → 200 with the state and the last 100 log lines`, async () => {
      const reply = await t.send('GET', path);
      assert.equal(reply.status, 200);
      const body = reply.body as { state: string; log: { id: number; message: string }[] };
      assert.deepEqual(Object.keys(body).sort(), ['log', 'state']);
      assert.equal(body.state, 'ready');
      assert.equal(body.log.length, 100);
      assert.deepEqual(body.log[0], { id: 51, timestamp: new Date(START_MS - 99_000).toISOString(), source: 'request', message: 'line 51' });
      assert.equal(body.log.at(-1)?.id, 150);
    });
  }

  for (const path of withAndWithoutSlash('/api/request/7/log/')) {
    it(`GET ${path} → 200 with the whole log`, async () => {
      const reply = await t.send('GET', path);
      assert.equal(reply.status, 200);
      const log = (reply.body as { log: { id: number }[] }).log;
      assert.deepEqual(Object.keys(reply.body as object), ['log']);
      assert.deepEqual(
        log.map((entry) => entry.id),
        Array.from({ length: 150 }, (_, index) => index + 1),
      );
    });
  }

  for (const route of ['details', 'status', 'log']) {
    it(`GET /api/request/seven/${route}/ → 400`, async () => {
      const reply = await t.send('GET', `/api/request/seven/${route}/`);
      assert.equal(reply.status, 400);
      assert.deepEqual(reply.body, { error: "request id must be an integer, not 'seven'" });
    });
    it(`GET /api/request/99/${route}/ → 404`, async () => {
      const reply = await t.send('GET', `/api/request/99/${route}/`);
      assert.equal(reply.status, 404);
      assert.deepEqual(reply.body, { error: 'request 99 not found' });
    });
  }

  it('GET /api/request/1.5/details/ → 400', async () => {
    const reply = await t.send('GET', '/api/request/1.5/details/');
    assert.equal(reply.status, 400);
    assert.deepEqual(reply.body, { error: "request id must be an integer, not '1.5'" });
  });
});
