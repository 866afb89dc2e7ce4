import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startSimLabpool, type SimLabpool } from '../../../support/sim-labpool.js';
import { waitFor } from '../../../support/wait-for.js';

const PATIENCE_MS = 90_000;
const BASIC = `Basic ${Buffer.from('demo:demo').toString('base64')}`;
const KEY = Buffer.from('-----BEGIN OPENSSH PRIVATE KEY----- e2e').toString('base64');
const GOOD = ['sim-0001', 'sim-0002', 'sim-0005'] as const;

type Reply = { readonly status: number; readonly body: any };

/** Commissaire's API over HTTP as commctl calls it: JSON content type and Basic auth always. */
describe('Commissaire over HTTP on the simulated lab', () => {
  let sim: SimLabpool;
  const fqdn = (device: string) => sim.labpool.lab.context.readModels.devices.get(device)!.fqdn;
  const call = async (method: string, path: string, body?: unknown): Promise<Reply> => {
    const response = await fetch(`${sim.labpool.url}/api/v0${path}`, {
      method,
      headers: { Authorization: BASIC, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: response.headers.get('content-type')?.includes('json') === true ? JSON.parse(text) : text };
  };
  /** `PUT /api/v0/host` sent from `localAddress`, as a device's boot script registers itself. */
  const registerSelf = (localAddress: string, body: unknown) =>
    new Promise<Reply>((resolve, reject) => {
      const url = new URL(`${sim.labpool.url}/api/v0/host`);
      const payload = JSON.stringify(body);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'PUT',
          localAddress,
          headers: { Authorization: BASIC, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const hostStatus = async (device: string) => ((await call('GET', `/host/${fqdn(device)}`)).body as { status?: string }).status;
  const finished = async (kind: string) => {
    await waitFor(async () => (await call('GET', `/cluster/web/${kind}`)).body.status !== 'in_process', PATIENCE_MS);
    return (await call('GET', `/cluster/web/${kind}`)).body;
  };

  before(async () => {
    // A power cycle waits out `pc_rebooting` (two minutes by default) before it pings: keep it short.
    sim = await startSimLabpool(5, { lifeguardLimits: { pc_rebooting: { timeoutMs: 200, maxCount: null } } });
    for (const device of [...GOOD, 'sim-0004']) await waitFor(() => /^(ready|failed_self_test)$/.test(sim.labpool.lab.context.readModels.devices.get(device)?.state ?? ''), PATIENCE_MS);
  });
  after(() => sim?.stop());

  it('registers three devices into a cluster with a trivial container manager, one from its own address: all active', async () => {
    assert.equal((await call('PUT', '/containermanager/cm', { type: 'trivial', options: {} })).status, 201);
    assert.equal((await call('PUT', '/cluster/web', { container_manager: 'cm', network: 'default' })).status, 201);
    for (const device of GOOD.slice(0, 2)) assert.equal((await call('PUT', `/host/${fqdn(device)}`, { ssh_priv_key: KEY, cluster: 'web' })).status, 201);
    const self = await registerSelf(fqdn('sim-0005'), { ssh_priv_key: KEY, remote_user: 'core', cluster: 'web' });
    assert.equal(self.status, 201, self.body);
    await waitFor(async () => (await Promise.all(GOOD.map(hostStatus))).every((status) => status === 'active'), PATIENCE_MS);
    const host = (await call('GET', `/host/${fqdn('sim-0005')}`)).body;
    assert.equal(host.address, fqdn('sim-0005'));
    assert.ok(host.cpus > 0 && host.memory > 0 && host.space > 0 && host.last_check !== '', JSON.stringify(host));
    assert.deepEqual((await call('GET', `/host/${fqdn('sim-0005')}/creds`)).body, { ssh_priv_key: KEY, remote_user: 'core' });
    assert.deepEqual((await call('GET', '/cluster/web/hosts')).body, GOOD.map(fqdn));
    assert.deepEqual((await call('GET', '/cluster/web')).body, { name: 'web', status: 'ok', network: 'default', container_manager: 'cm', hosts: { total: 3, available: 3, unavailable: 0 } });
  });

  it('restarts the cluster one host at a time', async () => {
    const started = await call('PUT', '/cluster/web/restart', {});
    assert.equal(started.status, 201, JSON.stringify(started.body));
    assert.equal(started.body.status, 'in_process');
    const done = await finished('restart');
    assert.equal(done.status, 'finished', JSON.stringify(done));
    assert.deepEqual(done.restarted, GOOD.map(fqdn));
    assert.notEqual(done.finished_at, '');
  });

  it('deploys an image over the cluster one host at a time', async () => {
    assert.equal((await call('PUT', '/cluster/web/deploy', {})).status, 400);
    const started = await call('PUT', '/cluster/web/deploy', { version: 'android' });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const done = await finished('deploy');
    assert.deepEqual([done.status, done.version, done.deployed], ['finished', 'android', GOOD.map(fqdn)], JSON.stringify(done));
    for (const device of GOOD) assert.equal(sim.labpool.lab.context.readModels.devices.get(device)?.image, 'android');
  });

  it('fails a host whose device fails its self-test, degrading the cluster; an operation then fails on it', async () => {
    assert.equal((await call('PUT', `/host/${fqdn('sim-0004')}`, { ssh_priv_key: KEY, cluster: 'web' })).status, 201);
    await waitFor(async () => (await hostStatus('sim-0004')) === 'failed', PATIENCE_MS);
    assert.deepEqual((await call('GET', '/cluster/web')).body.hosts, { total: 4, available: 3, unavailable: 1 });
    assert.equal((await call('GET', '/cluster/web')).body.status, 'degraded');
    assert.equal((await call('PUT', '/cluster/web/restart', {})).status, 201);
    const done = await finished('restart');
    assert.equal(done.status, 'failed', JSON.stringify(done));
    assert.deepEqual(done.restarted, GOOD.map(fqdn));
  });

  it('keeps the hosts held in every family: MozPool sees them busy', async () => {
    const response = await fetch(`${sim.labpool.url}/api/device/${GOOD[0]}/request/`, { method: 'POST', body: JSON.stringify({ assignee: 'someone', duration: 60, image: 'ubuntu' }) });
    assert.equal(response.status, 409, await response.text());
  });
});
