import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createActorSystem } from '../../../src/actors/actor-system.js';
import { authToken, basicCredentials, basicUser, tokenHolder } from '../../../src/http/auth/credentials.js';
import { createApp, type RegisterRoutes } from '../../../src/http/app.js';
import { listen, type ListeningServer } from '../../../src/http/server.js';
import { createIdentity, type Identity } from '../../../src/identity/identity.js';
import { createUserDirectory } from '../../../src/identity/user-directory.js';
import { createProjectionRunner, type ProjectionRunner } from '../../../src/projections/projection-runner.js';
import { createEventStore } from '../../../src/store/create-store.js';
import type { EventStore } from '../../../src/store/port.js';

/** OpenBSD's bcrypt vector: password "U*U". */
const HASH = '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW';
const basic = (credentials: string) => `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;

describe('HTTP credentials (Basic and the token header)', () => {
  let store: EventStore;
  let projections: ProjectionRunner;
  let identity: Identity;
  let server: ListeningServer;
  let stopActors: () => Promise<void>;

  /** A test route that reports what each helper made of the request. */
  const whoami: RegisterRoutes = (router) => {
    router.get('/test/whoami', async (ctx) => {
      ctx.body = {
        credentials: basicCredentials(ctx) ?? null,
        token: authToken(ctx) ?? null,
        basic: await basicUser(ctx, identity.users),
        holder: await tokenHolder(ctx, identity.tokens),
      };
    });
  };

  before(async () => {
    store = createEventStore({ kind: 'sqlite', path: ':memory:', synchronous: 'NORMAL' });
    const system = createActorSystem({ store, idleShutdownMs: 0 });
    stopActors = () => system.stop();
    const users = createUserDirectory([{ name: 'ops', hash: HASH, roles: ['operator'] }]);
    identity = createIdentity({ users, system, waitFor: (position) => projections.waitFor(position) });
    projections = createProjectionRunner(store, [identity.tokenViews]);
    await projections.start();
    server = await listen(createApp({ version: 't', serverId: '127.0.0.1:0' }, { routes: [whoami] }), '127.0.0.1', 0);
  });
  after(async () => {
    await server.close();
    await stopActors();
    await projections.stop();
    await store.close();
  });

  async function whoAmI(headers: Record<string, string>): Promise<any> {
    const response = await fetch(`${server.url}/test/whoami`, { headers });
    assert.equal(response.status, 200);
    return response.json();
  }

  it('reads HTTP Basic credentials; a password may hold colons', async () => {
    assert.deepEqual((await whoAmI({ Authorization: basic('ops:U*U') })).basic, { status: 'accepted', who: { name: 'ops', roles: ['operator'] } });
    assert.deepEqual((await whoAmI({ Authorization: basic('ops:a:b') })).credentials, { name: 'ops', password: 'a:b' });
    assert.deepEqual((await whoAmI({ authorization: `bAsIc   ${Buffer.from('ops:U*U').toString('base64')}` })).basic.status, 'accepted');
  });

  it('tells absent credentials from refused ones', async () => {
    assert.deepEqual((await whoAmI({})).basic, { status: 'absent' });
    assert.deepEqual((await whoAmI({ Authorization: basic('ops:wrong') })).basic, { status: 'refused' });
    assert.deepEqual((await whoAmI({ Authorization: basic('nobody:U*U') })).basic, { status: 'refused' });
    for (const malformed of ['Basic', 'Basic !!!', 'Bearer abc', basic('no-colon'), basic(':password')]) {
      const reply = await whoAmI({ Authorization: malformed });
      assert.equal(reply.credentials, null, malformed);
      assert.deepEqual(reply.basic, { status: 'refused' }, malformed);
    }
  });

  it('reads the token header whatever its case: X-AUTH-TOKEN (vmpooler) and X-Auth-Token (Drydock)', async () => {
    const token = await identity.tokens.create({ name: 'ops', roles: ['operator'] });
    for (const name of ['X-AUTH-TOKEN', 'X-Auth-Token', 'x-auth-token']) {
      const reply = await whoAmI({ [name]: ` ${token} ` });
      assert.equal(reply.token, token);
      assert.equal(reply.holder.status, 'accepted', name);
      assert.equal(reply.holder.who.user, 'ops');
    }
    assert.deepEqual((await whoAmI({})).holder, { status: 'absent' });
    assert.deepEqual((await whoAmI({ 'X-Auth-Token': 'not-a-token' })).holder, { status: 'refused' });
    assert.deepEqual((await whoAmI({ 'X-Auth-Token': 'z'.repeat(32) })).holder, { status: 'refused' });
  });
});
