import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertCommissaireError, assertJson, sshKey, startCommissaireHttpLab, waitForBody, type CommissaireHttpLab } from './commissaire-http-harness.js';

const p = '/api/v0';
const HOST_KEYS = ['address', 'cpus', 'last_check', 'memory', 'os', 'source', 'space', 'status'];
/** A Commissaire time: ISO 8601 in UTC without a zone, to microseconds. */
const COMMISSAIRE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/;

/**
 * Hosts are the simulated devices, by their fqdn: sim-0001 registers as an admin would, sim-0002
 * registers itself from its own address, sim-0003 hangs when imaged with ubuntu, sim-0004 fails its
 * self-test, sim-0005 joins no cluster.
 */
describe('Commissaire over HTTP: hosts, clusters and their members', () => {
  let lab: CommissaireHttpLab;
  let a: readonly string[];
  const key = sshKey('host-one');
  before(async () => {
    lab = await startCommissaireHttpLab(5);
    a = lab.addresses;
    assertJson(await lab.call('PUT', `${p}/containermanager/cm-trivial`, { body: { type: 'trivial' } }), 201);
    assertJson(await lab.call('PUT', `${p}/cluster/web`, { body: { network: 'default', container_manager: 'cm-trivial' } }), 201);
  });
  after(async () => {
    await lab?.stop();
  });

  it('creates a cluster from commctl’s body of only `type` on the default network, and again (201), but not differently (409)', async () => {
    const created = assertJson(await lab.call('PUT', `${p}/cluster/bare`, { body: { type: 'kubernetes' } }), 201);
    const expected = { name: 'bare', status: 'ok', network: 'default', container_manager: '', hosts: { total: 0, available: 0, unavailable: 0 } };
    assert.deepEqual(created, expected);
    assert.deepEqual(assertJson(await lab.call('PUT', `${p}/cluster/bare/`, { body: { type: 'openshift' } }), 201), expected);
    assertCommissaireError(await lab.call('PUT', `${p}/cluster/bare`, { body: { container_manager: 'cm-trivial' } }), 409, 'Conflict');
    assert.deepEqual(assertJson(await lab.call('GET', `${p}/cluster/bare`, { user: 'ursula' }), 200), expected);
    const names: string[] = assertJson(await lab.call('GET', `${p}/clusters`), 200);
    assert.deepEqual([...names].sort(), ['bare', 'web']);
  });

  it('registers a device by its fqdn (201), again with the same key (201), not with another key or cluster (409)', async () => {
    const body = { ssh_priv_key: key, cluster: 'web' };
    const host = assertJson(await lab.call('PUT', `${p}/host/${a[0]}`, { body }), 201);
    assert.deepEqual(Object.keys(host).sort(), HOST_KEYS);
    assert.equal(host.address, a[0]);
    assert.equal(host.source, '');
    assertJson(await lab.call('PUT', `${p}/host/${a[0]}/`, { body }), 201);
    assertJson(await lab.call('PUT', `${p}/host/${a[0]}`, { body: { ssh_priv_key: key } }), 201);
    assertCommissaireError(await lab.call('PUT', `${p}/host/${a[0]}`, { body: { ssh_priv_key: sshKey('another') } }), 409, 'Conflict');
    assertCommissaireError(await lab.call('PUT', `${p}/host/${a[0]}`, { body: { ssh_priv_key: key, cluster: 'bare' } }), 409, 'Conflict');
    assertCommissaireError(await lab.call('PUT', `${p}/host/${a[2]}`, { body: { ssh_priv_key: key, cluster: 'no-such-cluster' } }), 409, 'Conflict');
    assertCommissaireError(await lab.call('GET', `${p}/host/${a[2]}`), 404, 'Not Found');
  });

  it('refuses an address that names no labpool device (400)', async () => {
    assertCommissaireError(await lab.call('PUT', `${p}/host/10.254.254.254`, { body: { ssh_priv_key: key } }), 400, 'Bad Request');
    assertCommissaireError(await lab.call('GET', `${p}/host/10.254.254.254`), 404, 'Not Found');
  });

  it('PUT /host registers the caller’s own address, or the body’s `address`', async () => {
    const self = assertJson(await lab.call('PUT', `${p}/host`, { body: { ssh_priv_key: sshKey('self'), cluster: 'web' }, localAddress: a[1] }), 201);
    assert.equal(self.address, a[1]);
    const named = assertJson(await lab.call('PUT', `${p}/host/`, { body: { ssh_priv_key: sshKey('loner'), remote_user: 'core', address: a[4] } }), 201);
    assert.equal(named.address, a[4]);
    // From 127.0.0.1, which is no device: the inferred address names nothing.
    assertCommissaireError(await lab.call('PUT', `${p}/host`, { body: { ssh_priv_key: key } }), 400, 'Bad Request');
    assertCommissaireError(await lab.call('GET', `${p}/host/127.0.0.1`), 404, 'Not Found');
  });

  it('gives back the credentials as sent (root by default) to writers only', async () => {
    await waitForBody(lab, `${p}/host/${a[4]}`, (host) => host.address === a[4]);
    assert.deepEqual(assertJson(await lab.call('GET', `${p}/host/${a[0]}/creds`), 200), { ssh_priv_key: key, remote_user: 'root' });
    assert.deepEqual(assertJson(await lab.call('GET', `${p}/host/${a[4]}/creds/`, { user: 'ada' }), 200), { ssh_priv_key: sshKey('loner'), remote_user: 'core' });
    assertCommissaireError(await lab.call('GET', `${p}/host/${a[0]}/creds`, { user: 'ursula' }), 403, 'Forbidden');
    assertCommissaireError(await lab.call('GET', `${p}/host/${a[2]}/creds`), 404, 'Not Found');
    const listed = JSON.stringify(assertJson(await lab.call('GET', `${p}/hosts`), 200));
    assert.ok(!listed.includes(key), 'GET /hosts shows no key');
  });

  it('investigates and bootstraps hosts: active in a cluster with a container manager, else disassociated', async () => {
    for (const address of [a[0], a[1]]) {
      const host = await waitForBody(lab, `${p}/host/${address}`, (body) => body.status === 'active');
      // The OS is the device's image as labpool knows it: '' for a device labpool never imaged.
      assert.ok(host.cpus > 0 && host.memory > 0 && host.space > 0 && typeof host.os === 'string', JSON.stringify(host));
      assert.match(host.last_check, COMMISSAIRE_TIME);
    }
    await waitForBody(lab, `${p}/host/${a[4]}`, (body) => body.status === 'disassociated');
    const status = assertJson(await lab.call('GET', `${p}/host/${a[0]}/status`, { user: 'ursula' }), 200);
    assert.deepEqual(status, { type: 'host_only', host: { status: 'active', last_check: status.host.last_check }, container_manager: {} });
    assert.match(status.host.last_check, COMMISSAIRE_TIME);
    const list: any[] = assertJson(await lab.call('GET', `${p}/hosts/`), 200);
    assert.deepEqual(list.map((host) => host.address).sort(), [a[0], a[1], a[4]].sort());
    for (const entry of list)
      assert.deepEqual(
        Object.keys(entry).sort(),
        HOST_KEYS.filter((k) => k !== 'source'),
      );
    assert.deepEqual(assertJson(await lab.call('GET', `${p}/cluster/web`), 200), {
      name: 'web',
      status: 'ok',
      network: 'default',
      container_manager: 'cm-trivial',
      hosts: { total: 2, available: 2, unavailable: 0 },
    });
    assert.deepEqual(assertJson(await lab.call('GET', `${p}/cluster/web/hosts`), 200), [a[0], a[1]]);
  });

  it('membership: test (200 or 404), add one (200), remove one (200 [])', async () => {
    assert.deepEqual(assertJson(await lab.call('GET', `${p}/cluster/web/hosts/${a[0]}`, { user: 'ursula' }), 200), [a[0]]);
    assertCommissaireError(await lab.call('GET', `${p}/cluster/web/hosts/${a[4]}`), 404, 'Not Found');
    assertCommissaireError(await lab.call('GET', `${p}/cluster/nope/hosts/${a[0]}`), 404, 'Not Found');
    assertCommissaireError(await lab.call('GET', `${p}/cluster/nope/hosts`), 404, 'Not Found');
    assert.deepEqual(assertJson(await lab.call('PUT', `${p}/cluster/bare/hosts/10.9.9.8`), 200), ['10.9.9.8']);
    assert.deepEqual(assertJson(await lab.call('PUT', `${p}/cluster/bare/hosts/10.9.9.8/`, { body: {} }), 200), ['10.9.9.8']);
    assert.deepEqual(assertJson(await lab.call('GET', `${p}/cluster/bare/hosts/10.9.9.8/`), 200), ['10.9.9.8']);
    assert.deepEqual(assertJson(await lab.call('GET', `${p}/cluster/bare/hosts`), 200), ['10.9.9.8']);
    assert.deepEqual(assertJson(await lab.call('DELETE', `${p}/cluster/bare/hosts/10.9.9.8`), 200), []);
    assertCommissaireError(await lab.call('DELETE', `${p}/cluster/bare/hosts/10.9.9.8`), 404, 'Not Found');
    assertCommissaireError(await lab.call('PUT', `${p}/cluster/nope/hosts/10.9.9.8`), 404, 'Not Found');
    assertCommissaireError(await lab.call('PUT', `${p}/cluster/bare/hosts/a:b`), 404, 'Not Found');
  });

  it('replaces the membership only from the current one (409) with hosts that are set up (405)', async () => {
    const current = [a[0], a[1]];
    assertCommissaireError(await lab.call('PUT', `${p}/cluster/web/hosts`, { body: { old: [a[0]], new: current } }), 409, 'Conflict');
    assertCommissaireError(await lab.call('PUT', `${p}/cluster/web/hosts`, { body: { old: [], new: [] } }), 409, 'Conflict');
    assertCommissaireError(await lab.call('PUT', `${p}/cluster/web/hosts`, { body: { old: current, new: [...current, '10.9.9.7'] } }), 405, 'Method Not Allowed');
    assertCommissaireError(await lab.call('PUT', `${p}/cluster/nope/hosts`, { body: { old: [], new: [] } }), 404, 'Not Found');
    assertCommissaireError(await lab.call('PUT', `${p}/cluster/web/hosts`, { user: 'ursula', body: { old: current, new: current } }), 403, 'Forbidden');
    // The old list in another order is the same set; the disassociated host may join.
    assert.deepEqual(assertJson(await lab.call('PUT', `${p}/cluster/web/hosts/`, { body: { old: [a[1], a[0]], new: [...current, a[4]] } }), 200), [...current, a[4]]);
    assert.deepEqual(assertJson(await lab.call('GET', `${p}/cluster/web/hosts`), 200), [...current, a[4]]);
    assert.deepEqual(assertJson(await lab.call('PUT', `${p}/cluster/web/hosts`, { body: { old: [...current, a[4]], new: current } }), 200), current);
    assert.deepEqual(assertJson(await lab.call('GET', `${p}/cluster/web/hosts`), 200), current);
  });

  it('a host that fails its self-test ends failed, and its cluster degraded', async () => {
    assertJson(await lab.call('PUT', `${p}/host/${a[3]}`, { body: { ssh_priv_key: sshKey('flaky'), cluster: 'web' } }), 201);
    await waitForBody(lab, `${p}/host/${a[3]}/status`, (body) => body.host.status === 'failed');
    const cluster = await waitForBody(lab, `${p}/cluster/web`, (body) => body.hosts.total === 3);
    assert.equal(cluster.status, 'degraded');
    assert.deepEqual(cluster.hosts, { total: 3, available: 2, unavailable: 1 });
    const current = [a[0], a[1], a[3]];
    assertCommissaireError(await lab.call('PUT', `${p}/cluster/bare/hosts`, { body: { old: [], new: [a[3]] } }), 405, 'Method Not Allowed');
    assert.deepEqual(assertJson(await lab.call('GET', `${p}/cluster/web/hosts`), 200), current);
  });

  it('refuses a device another holder has: here the host sim-0001 holds it under its fqdn (409)', async () => {
    assertCommissaireError(await lab.call('PUT', `${p}/host/sim-0001`, { body: { ssh_priv_key: key } }), 409, 'Conflict');
    assertCommissaireError(await lab.call('GET', `${p}/host/sim-0001`), 404, 'Not Found');
    assert.equal(assertJson(await lab.call('GET', `${p}/host/${a[0]}`), 200).status, 'active');
  });

  it('refuses a second operation of a kind while one is in process (409): sim-0003 hangs extracting ubuntu', async () => {
    assertJson(await lab.call('PUT', `${p}/host/${a[2]}`, { body: { ssh_priv_key: sshKey('hangs'), cluster: 'bare' } }), 201);
    await waitForBody(lab, `${p}/host/${a[2]}`, (host) => host.status === 'disassociated');
    assert.equal(assertJson(await lab.call('PUT', `${p}/cluster/bare/deploy`, { body: { version: 'ubuntu' } }), 201).status, 'in_process');
    await waitForBody(lab, `${p}/cluster/bare/deploy`, (operation) => operation.in_process[0] === a[2]);
    assertCommissaireError(await lab.call('PUT', `${p}/cluster/bare/deploy/`, { body: { version: 'android' } }), 409, 'Conflict');
    assert.deepEqual(assertJson(await lab.call('GET', `${p}/cluster/bare/deploy`), 200).version, 'ubuntu');
  });

  it('deletes hosts and clusters: 200 [] then 404', async () => {
    assertCommissaireError(await lab.call('DELETE', `${p}/host/${a[3]}`, { user: 'ursula' }), 403, 'Forbidden');
    assert.deepEqual(assertJson(await lab.call('DELETE', `${p}/host/${a[3]}`), 200), []);
    assertCommissaireError(await lab.call('GET', `${p}/host/${a[3]}`), 404, 'Not Found');
    assertCommissaireError(await lab.call('GET', `${p}/host/${a[3]}/status`), 404, 'Not Found');
    assertCommissaireError(await lab.call('DELETE', `${p}/host/${a[3]}/`), 404, 'Not Found');
    assert.deepEqual(assertJson(await lab.call('GET', `${p}/cluster/web/hosts`), 200), [a[0], a[1]]);
    assert.deepEqual(assertJson(await lab.call('DELETE', `${p}/cluster/bare`), 200), []);
    assertCommissaireError(await lab.call('GET', `${p}/cluster/bare`), 404, 'Not Found');
    assertCommissaireError(await lab.call('GET', `${p}/cluster/bare/hosts`), 404, 'Not Found');
    assertCommissaireError(await lab.call('DELETE', `${p}/cluster/bare`), 404, 'Not Found');
    assert.deepEqual(assertJson(await lab.call('GET', `${p}/clusters`), 200), ['web']);
  });
});
