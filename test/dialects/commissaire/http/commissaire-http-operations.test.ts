import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertCommissaireError, assertJson, sshKey, startCommissaireHttpLab, waitForBody, type CommissaireHttpLab } from './commissaire-http-harness.js';

const p = '/api/v0';
const COMMISSAIRE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/;

/** Cluster `ops` holds sim-0001 and sim-0002, both active; cluster `empty` has no hosts. */
describe('Commissaire over HTTP: cluster operations', () => {
  let lab: CommissaireHttpLab;
  let hosts: readonly string[];
  before(async () => {
    lab = await startCommissaireHttpLab(2);
    hosts = lab.addresses;
    assertJson(await lab.call('PUT', `${p}/containermanager/cm`, { body: { type: 'trivial', options: {} } }), 201);
    assertJson(await lab.call('PUT', `${p}/cluster/ops`, { body: { container_manager: 'cm' } }), 201);
    assertJson(await lab.call('PUT', `${p}/cluster/empty`, { body: { type: 'kubernetes' } }), 201);
    for (const address of hosts) assertJson(await lab.call('PUT', `${p}/host/${address}`, { body: { ssh_priv_key: sshKey(address), cluster: 'ops' } }), 201);
    for (const address of hosts) await waitForBody(lab, `${p}/host/${address}`, (host) => host.status === 'active');
  });
  after(async () => {
    await lab?.stop();
  });

  it('answers 404 before any operation, and for an unknown cluster', async () => {
    for (const kind of ['deploy', 'upgrade', 'restart']) {
      assertCommissaireError(await lab.call('GET', `${p}/cluster/ops/${kind}`), 404, 'Not Found');
      assertCommissaireError(await lab.call('GET', `${p}/cluster/nope/${kind}/`), 404, 'Not Found');
      assertCommissaireError(await lab.call('PUT', `${p}/cluster/nope/${kind}`, { body: { version: 'ubuntu' } }), 404, 'Not Found');
      assertCommissaireError(await lab.call('PUT', `${p}/cluster/ops/${kind}`, { user: 'ursula', body: { version: 'ubuntu' } }), 403, 'Forbidden');
    }
  });

  it('refuses a deploy without a version, or of an image labpool does not have (400)', async () => {
    assertCommissaireError(await lab.call('PUT', `${p}/cluster/ops/deploy`, { body: {} }), 400, 'Bad Request');
    assertCommissaireError(await lab.call('PUT', `${p}/cluster/ops/deploy`, { raw: '' }), 400, 'Bad Request');
    assertCommissaireError(await lab.call('PUT', `${p}/cluster/ops/deploy`, { body: { version: 'no-such-image' } }), 400, 'Bad Request');
    assertCommissaireError(await lab.call('GET', `${p}/cluster/ops/deploy`), 404, 'Not Found');
  });

  it('an operation on a cluster without hosts finishes at once', async () => {
    const started = assertJson(await lab.call('PUT', `${p}/cluster/empty/restart`, { body: {} }), 201);
    assert.equal(started.name, 'empty');
    assert.deepEqual(started.restarted, []);
    const shown = assertJson(await lab.call('GET', `${p}/cluster/empty/restart`, { user: 'ursula' }), 200);
    assert.equal(shown.status, 'finished');
    assert.match(shown.finished_at, COMMISSAIRE_TIME);
  });

  it('restarts the hosts one at a time (201 in_process, then finished with every host restarted)', async () => {
    const started = assertJson(await lab.call('PUT', `${p}/cluster/ops/restart`, { body: {} }), 201);
    assert.deepEqual(Object.keys(started).sort(), ['finished_at', 'in_process', 'name', 'restarted', 'started_at', 'status']);
    assert.equal(started.name, 'ops');
    assert.equal(started.status, 'in_process');
    assert.equal(started.finished_at, '');
    assert.match(started.started_at, COMMISSAIRE_TIME);
    const seen: string[][] = [];
    const done = await waitForBody(lab, `${p}/cluster/ops/restart/`, (operation) => {
      assert.ok(operation.in_process.length <= 1, 'one host at a time');
      seen.push(operation.in_process);
      return operation.status !== 'in_process';
    });
    assert.equal(done.status, 'finished', JSON.stringify(done));
    assert.deepEqual([...done.restarted].sort(), [...hosts].sort());
    assert.deepEqual(done.in_process, []);
    assert.equal(done.started_at, started.started_at);
    assert.match(done.finished_at, COMMISSAIRE_TIME);
  });

  it('deploys an image and upgrades, each one host at a time', async () => {
    const deploy = assertJson(await lab.call('PUT', `${p}/cluster/ops/deploy/`, { body: { version: 'android' } }), 201);
    assert.equal(deploy.version, 'android');
    assert.deepEqual(deploy.deployed, []);
    const deployed = await waitForBody(lab, `${p}/cluster/ops/deploy`, (operation) => operation.status !== 'in_process');
    assert.equal(deployed.status, 'finished', JSON.stringify(deployed));
    assert.deepEqual([...deployed.deployed].sort(), [...hosts].sort());
    const upgrade = assertJson(await lab.call('PUT', `${p}/cluster/ops/upgrade`, { body: {} }), 201);
    assert.deepEqual(upgrade.upgraded, []);
    const upgraded = await waitForBody(lab, `${p}/cluster/ops/upgrade`, (operation) => operation.status !== 'in_process');
    assert.equal(upgraded.status, 'finished', JSON.stringify(upgraded));
    assert.deepEqual([...upgraded.upgraded].sort(), [...hosts].sort());
    // The restart before stays as it ended.
    assert.equal(assertJson(await lab.call('GET', `${p}/cluster/ops/restart`), 200).status, 'finished');
  });
});
