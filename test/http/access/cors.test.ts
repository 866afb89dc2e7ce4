import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../../src/http/app.js';
import { listen, type ListeningServer } from '../../../src/http/server.js';
import { createTestInventory, startTestLab, type TestLab } from '../../support/lab-harness.js';

const DASHBOARD = 'https://dash.example.org';
const OTHER = 'https://evil.example.net';

const fromOrigin = (origin: string, headers: Record<string, string> = {}) => ({ Origin: origin, ...headers });

describe('CORS with http.cors.origins', () => {
  let server: ListeningServer;
  before(async () => {
    server = await listen(createApp({ version: 'test', serverId: '127.0.0.1:0', corsOrigins: [DASHBOARD, 'http://localhost:5173'] }), '127.0.0.1', 0);
  });
  after(() => server?.close());
  const get = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, init);

  it('names a configured origin in Access-Control-Allow-Origin, on answers and on errors', async () => {
    for (const path of ['/api/version/', '/api/no/such/route/', '/labpool/nothing']) {
      const response = await get(path, { headers: fromOrigin(DASHBOARD) });
      assert.equal(response.headers.get('access-control-allow-origin'), DASHBOARD, path);
      assert.equal(response.headers.get('access-control-allow-credentials'), null, path);
      assert.match(response.headers.get('vary') ?? '', /Origin/, path);
    }
  });

  it('answers a configured origin’s preflight with what it may send, the token header among it', async () => {
    const response = await get('/api/device/x/set-comments/', {
      method: 'OPTIONS',
      headers: fromOrigin(DASHBOARD, { 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-auth-token, content-type' }),
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), DASHBOARD);
    assert.match(response.headers.get('access-control-allow-methods') ?? '', /\bPOST\b/);
    assert.match(response.headers.get('access-control-allow-headers') ?? '', /X-Auth-Token/);
  });

  it('gives any other origin no CORS header, on answers and preflights', async () => {
    for (const origin of [OTHER, 'null', `${DASHBOARD}.evil.example.net`, 'http://dash.example.org']) {
      const answer = await get('/api/version/', { headers: fromOrigin(origin) });
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('access-control-allow-origin'), null, origin);
      const preflight = await get('/api/version/', { method: 'OPTIONS', headers: fromOrigin(origin, { 'Access-Control-Request-Method': 'GET' }) });
      assert.equal(preflight.headers.get('access-control-allow-origin'), null, origin);
      assert.equal(preflight.headers.get('access-control-allow-methods'), null, origin);
    }
  });
});

describe('CORS by default', () => {
  let lab: TestLab;
  before(async () => {
    lab = await startTestLab(createTestInventory(1), { ready: false });
  });
  after(() => lab?.labpool.stop());

  it('is off: no origin gets an Access-Control header', async () => {
    for (const origin of [OTHER, 'http://127.0.0.1:8010', 'null']) {
      for (const [method, path] of [
        ['GET', '/api/device/list/'],
        ['OPTIONS', '/api/device/list/'],
        ['GET', '/labpool/nothing'],
      ]) {
        const response = await fetch(`${lab.url}${path}`, { method, headers: fromOrigin(origin, { 'Access-Control-Request-Method': 'GET' }) });
        const corsHeaders = [...response.headers.keys()].filter((name) => name.startsWith('access-control-'));
        assert.deepEqual(corsHeaders, [], `${method} ${path} from ${origin}`);
      }
    }
  });
});
