import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertCommissaireError, assertJson, startCommissaireHttpLab, type CommissaireHttpLab } from './commissaire-http-harness.js';

const p = '/api/v0';

describe('Commissaire over HTTP: access, routing and bodies', () => {
  let lab: CommissaireHttpLab;
  before(async () => {
    lab = await startCommissaireHttpLab(2);
  });
  after(async () => {
    await lab?.stop();
  });

  it('answers 403 Forbidden, never 401, without credentials, with bad ones, and to a reader who writes', async () => {
    const bad = { Authorization: `Basic ${Buffer.from('otto:not-his-password').toString('base64')}` };
    const unknown = { Authorization: `Basic ${Buffer.from('mallory:x').toString('base64')}` };
    for (const [method, path] of [
      ['GET', `${p}/clusters`],
      ['PUT', `${p}/cluster/c403`],
      ['GET', `${p}/host/10.0.0.1/creds`],
      ['DELETE', `${p}/network/n403`],
    ] as const) {
      assertCommissaireError(await lab.call(method, path, { user: null }), 403, 'Forbidden');
      assertCommissaireError(await lab.call(method, path, { user: null, headers: bad }), 403, 'Forbidden');
      assertCommissaireError(await lab.call(method, path, { user: null, headers: unknown }), 403, 'Forbidden');
      assertCommissaireError(await lab.call(method, path, { user: null, headers: { Authorization: 'Basic %%%' } }), 403, 'Forbidden');
      assertCommissaireError(await lab.call(method, path, { user: null, headers: { Authorization: 'Bearer abc' } }), 403, 'Forbidden');
    }
    assertCommissaireError(await lab.call('PUT', `${p}/cluster/c403`, { user: 'ursula', body: {} }), 403, 'Forbidden');
    assertCommissaireError(await lab.call('PUT', `${p}/network/n403`, { user: 'ursula', body: { type: 'flannel_etcd' } }), 403, 'Forbidden');
    assertJson(await lab.call('GET', `${p}/clusters`, { user: 'ursula' }), 200);
    assertCommissaireError(await lab.call('GET', `${p}/cluster/c403`, { user: 'ursula' }), 404, 'Not Found');
  });

  it('checks credentials before the body: a bad body without them is a 403, with them a 400', async () => {
    assertCommissaireError(await lab.call('PUT', `${p}/cluster/cbody`, { user: null, raw: '{not json' }), 403, 'Forbidden');
    assertCommissaireError(await lab.call('PUT', `${p}/cluster/cbody`, { user: 'ursula', raw: '{not json' }), 403, 'Forbidden');
    assertCommissaireError(await lab.call('PUT', `${p}/cluster/cbody`, { raw: '{not json' }), 400, 'Bad Request');
  });

  it('takes a bcrypt hash as a Commissaire users file carries it', async () => {
    assertJson(await lab.call('PUT', `${p}/network/bcrypt-net`, { user: 'bert', body: { type: 'flannel_server', options: {} } }), 201);
    assertJson(await lab.call('DELETE', `${p}/network/bcrypt-net`, { user: 'bert' }), 200);
  });

  it('answers 404 to names and addresses outside their patterns, and to routes it does not have', async () => {
    for (const path of [`${p}/cluster/a.b`, `${p}/cluster/a%20b`, `${p}/cluster/%ZZ`, `${p}/cluster/%2e%2e`, `${p}/network/a%2Fb`, `${p}/host/a%3Ab`, `${p}/host/%00`, `${p}/containermanager/x.y`]) {
      assertCommissaireError(await lab.call('GET', path), 404, 'Not Found');
    }
    assertCommissaireError(await lab.call('PUT', `${p}/cluster/a.b`, { body: { network: 'default' } }), 404, 'Not Found');
    assertCommissaireError(await lab.call('PUT', `${p}/host/a:b`, { body: { ssh_priv_key: 'eA==' } }), 404, 'Not Found');
    assertCommissaireError(await lab.call('PUT', `${p}/network/n%2Fx`, { body: { type: 'flannel_etcd' } }), 404, 'Not Found');
    assertCommissaireError(await lab.call('GET', `${p}/nothing`), 404, 'Not Found');
    assertCommissaireError(await lab.call('GET', `${p}/cluster/c1/hosts/10.0.0.1/extra`), 404, 'Not Found');
  });

  it('answers 405 to a method a route does not take', async () => {
    assertCommissaireError(await lab.call('POST', `${p}/cluster/c405`, { body: {} }), 405, 'Method Not Allowed');
    assertCommissaireError(await lab.call('DELETE', `${p}/clusters`), 405, 'Method Not Allowed');
    assertCommissaireError(await lab.call('DELETE', `${p}/cluster/c405/deploy`), 405, 'Method Not Allowed');
    assertCommissaireError(await lab.call('POST', `${p}/host`, { body: {} }), 405, 'Method Not Allowed');
    assertCommissaireError(await lab.call('DELETE', `${p}/host/10.0.0.1/creds`), 405, 'Method Not Allowed');
  });

  it('refuses bodies that are not JSON objects or have the wrong types with 400', async () => {
    const cases: readonly (readonly [string, string])[] = [
      [`${p}/cluster/cbad`, 'not json'],
      [`${p}/cluster/cbad`, '[]'],
      [`${p}/cluster/cbad`, '"text"'],
      [`${p}/cluster/cbad`, '{"network": 7}'],
      [`${p}/cluster/cbad`, '{"network": "a b"}'],
      [`${p}/cluster/cbad`, '{"container_manager": ["x"]}'],
      [`${p}/cluster/cbad/hosts`, '{"old": []}'],
      [`${p}/cluster/cbad/hosts`, '{"old": "a", "new": []}'],
      [`${p}/cluster/cbad/hosts`, '{"old": [], "new": ["a b"]}'],
      [`${p}/cluster/cbad/deploy`, '{}'],
      [`${p}/cluster/cbad/deploy`, '{"version": ""}'],
      [`${p}/cluster/cbad/deploy`, '{"version": 7}'],
      [`${p}/cluster/cbad/restart`, '[]'],
      [`${p}/cluster/cbad/upgrade`, 'nope'],
      [`${p}/host/10.0.0.1`, '{}'],
      [`${p}/host/10.0.0.1`, '{"ssh_priv_key": 5}'],
      [`${p}/host/10.0.0.1`, '{"ssh_priv_key": ""}'],
      [`${p}/host/10.0.0.1`, '{"ssh_priv_key": "eA==", "cluster": "a b"}'],
      [`${p}/host/10.0.0.1`, '{"ssh_priv_key": "eA==", "remote_user": 0}'],
      [`${p}/host`, '{"ssh_priv_key": "eA==", "address": "a:b"}'],
      [`${p}/host`, '{"address": "10.0.0.1"}'],
      [`${p}/network/nbad`, '{}'],
      [`${p}/network/nbad`, '{"type": "openshift"}'],
      [`${p}/network/nbad`, '{"type": "flannel_etcd", "options": []}'],
      [`${p}/containermanager/mbad`, '{"type": "flannel_etcd"}'],
      [`${p}/containermanager/mbad`, '{"type": "trivial", "options": "x"}'],
    ];
    for (const [path, raw] of cases) {
      const reply = await lab.call('PUT', path, { raw });
      assert.equal(reply.status, 400, `PUT ${path} ${raw}: ${reply.status} ${reply.text}`);
      assertCommissaireError(reply, 400, 'Bad Request');
    }
  });

  it('takes every path with or without its trailing slash', async () => {
    assert.equal((await lab.call('PUT', `${p}/containermanager/slash-cm/`, { body: { type: 'trivial' } })).status, 201);
    assert.equal((await lab.call('PUT', `${p}/cluster/slash/`, { body: { container_manager: 'slash-cm' } })).status, 201);
    for (const path of [`${p}/clusters`, `${p}/cluster/slash`, `${p}/cluster/slash/hosts`, `${p}/hosts`, `${p}/networks`, `${p}/containermanagers`, `${p}/containermanager/slash-cm`]) {
      const bare = await lab.call('GET', path);
      const slashed = await lab.call('GET', `${path}/`);
      assert.equal(bare.status, 200, `${path}: ${bare.text}`);
      assert.equal(slashed.status, 200, `${path}/: ${slashed.text}`);
      assert.deepEqual(slashed.body, bare.body, path);
    }
    assert.deepEqual(assertJson(await lab.call('DELETE', `${p}/cluster/slash/`), 200), []);
    assert.deepEqual(assertJson(await lab.call('DELETE', `${p}/containermanager/slash-cm`), 200), []);
  });

  it('networks: 201 on create and on an identical re-PUT, 409 on a different one, GET, list, DELETE [] then 404', async () => {
    const created = assertJson(await lab.call('PUT', `${p}/network/net1`, { body: { type: 'flannel_server', options: { address: '192.168.152.101:8080', b: [1, 2] } } }), 201);
    assert.deepEqual(created, { name: 'net1', type: 'flannel_server', options: { address: '192.168.152.101:8080', b: [1, 2] } });
    // The same options in another order are the same record.
    assertJson(await lab.call('PUT', `${p}/network/net1`, { body: { options: { b: [1, 2], address: '192.168.152.101:8080' }, type: 'flannel_server' } }), 201);
    assertCommissaireError(await lab.call('PUT', `${p}/network/net1`, { body: { type: 'flannel_etcd', options: { address: '192.168.152.101:8080', b: [1, 2] } } }), 409, 'Conflict');
    assertCommissaireError(await lab.call('PUT', `${p}/network/net1`, { body: { type: 'flannel_server', options: {} } }), 409, 'Conflict');
    assert.deepEqual(assertJson(await lab.call('GET', `${p}/network/net1`, { user: 'ursula' }), 200), created);
    assert.ok(assertJson(await lab.call('GET', `${p}/networks`), 200).includes('net1'));
    assert.deepEqual(assertJson(await lab.call('PUT', `${p}/network/net2`, { body: { type: 'flannel_etcd' } }), 201), { name: 'net2', type: 'flannel_etcd', options: {} });
    assert.deepEqual(assertJson(await lab.call('DELETE', `${p}/network/net1`), 200), []);
    assertCommissaireError(await lab.call('GET', `${p}/network/net1`), 404, 'Not Found');
    assertCommissaireError(await lab.call('DELETE', `${p}/network/net1`), 404, 'Not Found');
    const names: string[] = assertJson(await lab.call('GET', `${p}/networks/`), 200);
    assert.ok(names.includes('net2') && !names.includes('net1'), JSON.stringify(names));
  });

  it('container managers: the same rules, openshift and trivial', async () => {
    const body = { type: 'openshift', options: { apiserver: 'https://192.168.152.101:8080/api/' } };
    assert.deepEqual(assertJson(await lab.call('PUT', `${p}/containermanager/prod_openshift`, { body }), 201), { name: 'prod_openshift', ...body });
    assertJson(await lab.call('PUT', `${p}/containermanager/prod_openshift`, { body }), 201);
    assertCommissaireError(await lab.call('PUT', `${p}/containermanager/prod_openshift`, { body: { type: 'trivial', options: body.options } }), 409, 'Conflict');
    assertCommissaireError(await lab.call('PUT', `${p}/containermanager/other`, { body: { type: 'kubernetes' } }), 400, 'Bad Request');
    assert.deepEqual(assertJson(await lab.call('GET', `${p}/containermanager/prod_openshift`), 200), { name: 'prod_openshift', ...body });
    assert.ok(assertJson(await lab.call('GET', `${p}/containermanagers`), 200).includes('prod_openshift'));
    assert.deepEqual(assertJson(await lab.call('DELETE', `${p}/containermanager/prod_openshift`), 200), []);
    assertCommissaireError(await lab.call('GET', `${p}/containermanager/prod_openshift`), 404, 'Not Found');
    assertCommissaireError(await lab.call('DELETE', `${p}/containermanager/prod_openshift`), 404, 'Not Found');
  });
});
