import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import Koa from 'koa';
import { Router } from '@koa/router';
import { createErrorHandler } from '../../../../src/http/errors.js';
import { commissaireUser, createCommissaireAccess } from '../../../../src/dialects/commissaire/http/commissaire-auth.js';
import { formatCommissaireError, isCommissaireError } from '../../../../src/dialects/commissaire/http/commissaire-errors.js';
import { createUserDirectory, DEMO_USER } from '../../../../src/identity/user-directory.js';

/** bcrypt `$2a$` (cost 5) of `U*U`: the older prefix a Commissaire users file may hold. */
const U_STAR_U = '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW';

describe('Commissaire access: HTTP Basic against labpool users, every refusal 403 Forbidden', () => {
  let server: Server;
  let base: string;
  before(async () => {
    const users = createUserDirectory([DEMO_USER, { name: 'viewer', hash: U_STAR_U, roles: ['user'] }]);
    const access = createCommissaireAccess(users);
    const router = new Router();
    router.get('/api/v0/clusters', access.read, (ctx) => (ctx.body = [commissaireUser(ctx)]));
    router.put('/api/v0/cluster/:name', access.write, (ctx) => ((ctx.status = 201), (ctx.body = { by: commissaireUser(ctx) })));
    const app = new Koa();
    app.silent = true;
    app.use(createErrorHandler(new Map([['/api/v0/', formatCommissaireError]])));
    app.use(router.routes());
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const basic = (name: string, password: string) => `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;
  const call = async (method: string, path: string, authorization?: string) => {
    const response = await fetch(base + path, { method, headers: authorization === undefined ? {} : { Authorization: authorization } });
    return { status: response.status, text: await response.text(), challenge: response.headers.get('www-authenticate') };
  };

  it('lets a known user read and an operator write, with their names', async () => {
    assert.deepEqual(await call('GET', '/api/v0/clusters', basic('viewer', 'U*U')), { status: 200, text: '["viewer"]', challenge: null });
    assert.deepEqual(await call('PUT', '/api/v0/cluster/c1', basic('demo', 'demo')), { status: 201, text: '{"by":"demo"}', challenge: null });
  });

  for (const [what, authorization] of [
    ['no credentials', undefined],
    ['a wrong password', basic('demo', 'nope')],
    ['an unknown user', basic('ghost', 'demo')],
    ['a malformed header', 'Basic !!!'],
    ['a token instead of Basic', 'Bearer abc'],
  ] as const) {
    it(`answers ${what} with 403 Forbidden and no challenge`, async () => {
      const reply = await call('GET', '/api/v0/clusters', authorization);
      assert.deepEqual(reply, { status: 403, text: 'Forbidden', challenge: null });
      assert.equal(isCommissaireError(reply.text, reply.status), true);
    });
  }

  it('refuses a write by a user without the operator role with 403', async () => {
    assert.deepEqual(await call('PUT', '/api/v0/cluster/c1', basic('viewer', 'U*U')), { status: 403, text: 'Forbidden', challenge: null });
  });
});
