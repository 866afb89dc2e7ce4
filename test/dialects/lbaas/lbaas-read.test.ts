import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LabpoolConfig } from '../../../src/config/config.js';
import { lbaasDialect } from '../../../src/dialects/lbaas/lbaas-dialect.js';
import { simCertificateFiles } from '../../../src/dialects/lbaas/lbaas-config.js';
import { isLbaasError } from '../../../src/dialects/lbaas/http/lbaas-errors.js';
import { startSimLabpool, type SimLabpool } from '../../support/sim-labpool.js';
import { waitFor } from '../../support/wait-for.js';
import { lbaasCall, type LbaasAnswer } from './lbaas-https.js';

/** Bounds how long a broken build takes to fail; every wait is for a condition. */
const PATIENCE_MS = 90_000;
const TIME = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{4}\.\d{2}\.\d{2} at \d{2}:\d{2}:\d{2} (AM|PM) UTC$/;

function assertError(answer: LbaasAnswer, status: number, details: RegExp): void {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.ok(isLbaasError(answer.body, status), JSON.stringify(answer.body));
  assert.match(answer.body.details, details);
}

/** What plain HTTP on the HTTPS port gets back before the connection closes. */
function plainHttpAnswer(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    let received = '';
    const socket = connect(Number(port), hostname, () => socket.write(`GET /v1/devices HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(received));
  });
}

describe('LBaaS Device API over HTTPS: reads', () => {
  let sim: SimLabpool;
  let config: LabpoolConfig | undefined;
  let base: string;
  let ca: string;
  const call = (method: string, path: string) => lbaasCall(base, ca, method, path);

  before(async () => {
    sim = await startSimLabpool(4, {}, (adjusted) => (config = adjusted));
    base = sim.labpool.part(lbaasDialect).url() ?? assert.fail('the simulated lab serves LBaaS');
    const folder = dirname(config?.store.kind === 'sqlite' ? config.store.path : '');
    ca = readFileSync(simCertificateFiles(folder).certFile, 'utf8');
  });
  after(() => sim?.stop());

  it('generates its certificate under the data folder, key readable by its owner only', () => {
    const folder = dirname(config?.store.kind === 'sqlite' ? config.store.path : '');
    assert.equal(statSync(simCertificateFiles(folder).keyFile).mode & 0o077, 0);
    assert.match(base, /^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses plain HTTP on its port: no HTTP answer, the connection is closed', async () => {
    assert.doesNotMatch(await plainHttpAnswer(base), /HTTP\/1\.1/);
  });

  it('lists every device of the inventory with its inventory id, address, type, times and status', async () => {
    const { status, body } = await call('GET', '/v1/devices');
    assert.equal(status, 200);
    assert.deepEqual(
      body.devices.map((device: { id: number; name: string }) => [device.id, device.name]),
      [1, 2, 3, 4].map((id) => [id, `sim-000${id}`]),
    );
    for (const device of body.devices) {
      const labDevice = sim.labpool.lab.context.readModels.devices.get(device.name);
      assert.equal(device.address, labDevice?.fqdn);
      assert.equal(device.type, labDevice?.hardwareType);
      assert.match(device.created, TIME);
      assert.match(device.updated, TIME);
      assert.ok(['OFFLINE', 'BUILD', 'ERROR'].includes(device.status), device.status);
      assert.equal(device.loadbalancer, 0);
    }
  });

  it('gets one device by its id; an unknown or non-numeric id is a 404 in its error shape', async () => {
    const listed = (await call('GET', '/v1/devices')).body.devices[1];
    const one = await call('GET', '/v1/devices/2');
    assert.equal(one.status, 200);
    assert.equal(one.body.name, listed.name);
    assert.equal(one.body.id, 2);
    assertError(await call('GET', '/v1/devices/999'), 404, /999/);
    assertError(await call('GET', '/v1/devices/abc'), 404, /abc/);
    assertError(await call('GET', '/v1/devices/02'), 404, /02/);
    assertError(await call('GET', '/v1/other'), 404, /\/v1\/other/);
  });

  it('answers a method a path does not take with 405 in its error shape, with Allow', async () => {
    const answer = await call('PATCH', '/v1/devices/usage');
    assertError(answer, 405, /.+/);
    assert.match(String(answer.headers.allow), /GET/);
  });

  it('keeps usage consistent with the list through a MozPool lease and its return', async () => {
    const consistent = async () => {
      const [list, usage] = await Promise.all([call('GET', '/v1/devices'), call('GET', '/v1/devices/usage')]);
      const free = list.body.devices.filter((device: { status: string }) => device.status === 'OFFLINE').length;
      assert.deepEqual(usage.body, { total: list.body.devices.length, free, taken: list.body.devices.length - free });
      return list.body.devices as { id: number; name: string; status: string; loadbalancer: number | string }[];
    };
    await waitFor(async () => (await consistent()).find((device) => device.name === 'sim-0001')?.status === 'OFFLINE', PATIENCE_MS);
    const leased = await fetch(`${sim.labpool.url}/api/device/sim-0001/request/`, { method: 'POST', body: JSON.stringify({ assignee: 'lbaas-test', duration: 600, image: 'ubuntu' }) });
    assert.equal(leased.status, 200);
    const requestId = ((await leased.json()) as { request: { id: number } }).request.id;
    const held = async () => (await consistent()).find((device) => device.name === 'sim-0001');
    await waitFor(async () => (await held())?.status !== 'OFFLINE', PATIENCE_MS);
    assert.ok(['BUILD', 'ONLINE'].includes((await held())?.status ?? ''));
    // A loaded machine may see a verify of the device fail once and the device retry (BUILD again): wait for both reads to agree on ONLINE.
    await waitFor(async () => {
      const [listed, one] = [await held(), (await call('GET', '/v1/devices/1')).body as { status: string; name: string }];
      return listed?.status === 'ONLINE' && listed.loadbalancer === requestId && one.name === 'sim-0001' && one.status === 'ONLINE';
    }, PATIENCE_MS);
    assert.equal((await fetch(`${sim.labpool.url}/api/request/${requestId}/return/`, { method: 'POST' })).status, 204);
    await waitFor(async () => (await held())?.status === 'OFFLINE' && (await held())?.loadbalancer === 0, PATIENCE_MS);
  });
});
