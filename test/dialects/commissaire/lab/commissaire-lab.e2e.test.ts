import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { commissaireDialect } from '../../../../src/dialects/commissaire/commissaire-dialect.js';
import type { AttachedCommissaireLab } from '../../../../src/dialects/commissaire/actors/commissaire-lab-attach.js';
import { startSimLabpool, type SimLabpool } from '../../../support/sim-labpool.js';
import { waitFor } from '../../../support/wait-for.js';
import { assertOneHostAtATime, latestRun, mostOutOfReady } from './operation-order.js';

const PATIENCE_MS = 90_000;
const KEY = Buffer.from('a test key, not a secret').toString('base64');

/** The lab's commands straight, without HTTP: hosts on the simulated lab, a cluster, its operations. */
describe('Commissaire on the simulated lab', () => {
  let sim: SimLabpool;
  let lab: AttachedCommissaireLab;
  const fqdn = (device: string) => sim.labpool.lab.context.readModels.devices.get(device)!.fqdn;
  const hostStatus = (device: string) => lab.views.host(fqdn(device))?.status;

  before(async () => {
    // A power cycle waits out `pc_rebooting` (two minutes by default) before it pings: keep it short.
    sim = await startSimLabpool(5, { lifeguardLimits: { pc_rebooting: { timeoutMs: 200, maxCount: null } } });
    lab = sim.labpool.part(commissaireDialect).lab;
    for (const device of ['sim-0001', 'sim-0002', 'sim-0005']) await waitFor(() => sim.labpool.lab.context.readModels.devices.get(device)?.state === 'ready', PATIENCE_MS);
  });
  after(() => sim?.stop());

  it('registers three hosts into a cluster with a trivial container manager: they become active', async () => {
    assert.equal((await lab.createConfigRecord('containermanager', { name: 'cm', recordType: 'trivial', options: {}, by: 'demo' })).ok, true);
    assert.equal((await lab.createCluster({ name: 'web', network: null, containerManager: 'cm', by: 'demo' })).ok, true);
    for (const device of ['sim-0001', 'sim-0002', 'sim-0005']) {
      const outcome = await lab.registerHost({ address: fqdn(device), sshPrivKey: KEY, remoteUser: null, cluster: 'web', by: 'demo' });
      assert.equal(outcome.ok, true, JSON.stringify(outcome));
    }
    await waitFor(() => ['sim-0001', 'sim-0002', 'sim-0005'].every((device) => hostStatus(device) === 'active'), PATIENCE_MS);
    const host = lab.views.host(fqdn('sim-0001'))!;
    assert.ok(host.facts !== null && host.facts.cpus > 0 && host.facts.memoryKb > 0 && host.facts.spaceKb > 0, JSON.stringify(host.facts));
    assert.deepEqual(lab.views.cluster('web')?.hosts, ['sim-0001', 'sim-0002', 'sim-0005'].map(fqdn));
    assert.deepEqual(sim.labpool.lab.context.readModels.devices.get('sim-0002')?.holder, { kind: 'commissaire_cluster', id: fqdn('sim-0002') });
    const creds = lab.hostCreds(fqdn('sim-0001'));
    assert.deepEqual(creds, { ok: true, value: { ssh_priv_key: KEY, remote_user: 'root' } });
  });

  it('restarts the cluster one host at a time', async () => {
    for (const device of ['sim-0001', 'sim-0002', 'sim-0005']) assert.equal(sim.labpool.lab.context.readModels.devices.get(device)?.state, 'ready', device);
    const started = await lab.startOperation('web', 'restart', null, 'demo');
    assert.equal(started.ok, true, JSON.stringify(started));
    await waitFor(() => lab.views.operation('web', 'restart')?.status !== 'in_process', PATIENCE_MS);
    const operation = lab.views.operation('web', 'restart')!;
    assert.equal(operation.status, 'finished', JSON.stringify(operation));
    assert.deepEqual(operation.done, ['sim-0001', 'sim-0002', 'sim-0005'].map(fqdn));
    const run = await latestRun(sim.labpool.store, 'restart', 'web');
    assertOneHostAtATime(run, ['sim-0001', 'sim-0002', 'sim-0005'].map(fqdn));
    // Every device of the cluster was power-cycled, never two at once: stepping through the log.
    const out = await mostOutOfReady(sim.labpool.store, ['sim-0001', 'sim-0002', 'sim-0005'], run[0]!.position, run.at(-1)!.position);
    assert.deepEqual([out.most, [...out.left].sort()], [1, ['sim-0001', 'sim-0002', 'sim-0005']]);
  });

  it('deploys an image over the cluster', async () => {
    assert.equal((await lab.startOperation('web', 'deploy', null, 'demo')).ok, false);
    const started = await lab.startOperation('web', 'deploy', 'android', 'demo');
    assert.equal(started.ok, true, JSON.stringify(started));
    await waitFor(() => lab.views.operation('web', 'deploy')?.status !== 'in_process', PATIENCE_MS);
    assert.equal(lab.views.operation('web', 'deploy')?.status, 'finished', JSON.stringify(lab.views.operation('web', 'deploy')));
    assertOneHostAtATime(await latestRun(sim.labpool.store, 'deploy', 'web'), ['sim-0001', 'sim-0002', 'sim-0005'].map(fqdn));
    for (const device of ['sim-0001', 'sim-0002', 'sim-0005']) assert.equal(sim.labpool.lab.context.readModels.devices.get(device)?.image, 'android');
  });

  it('fails a host whose device fails its self-test: the cluster is degraded', async () => {
    const outcome = await lab.registerHost({ address: fqdn('sim-0004'), sshPrivKey: KEY, remoteUser: 'core', cluster: 'web', by: 'demo' });
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    await waitFor(() => hostStatus('sim-0004') === 'failed', PATIENCE_MS);
    const views = lab.views;
    const statuses = views.cluster('web')!.hosts.map((address) => views.host(address)?.status ?? null);
    assert.deepEqual(statuses, ['active', 'active', 'active', 'failed']);
  });

  it('deletes a host and frees its device', async () => {
    assert.deepEqual(await lab.deleteHost(fqdn('sim-0004'), 'demo'), { ok: true, value: null });
    assert.equal(lab.views.host(fqdn('sim-0004')), undefined);
    assert.deepEqual(lab.views.cluster('web')?.hosts, ['sim-0001', 'sim-0002', 'sim-0005'].map(fqdn));
    await waitFor(() => sim.labpool.lab.context.readModels.devices.get('sim-0004')?.holder === null);
  });
});
