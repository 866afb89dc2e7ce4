import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LabpoolConfig } from '../../../src/config/config.js';
import { lbaasDialect } from '../../../src/dialects/lbaas/lbaas-dialect.js';
import { simCertificateFiles } from '../../../src/dialects/lbaas/lbaas-config.js';
import { isLbaasError } from '../../../src/dialects/lbaas/http/lbaas-errors.js';
import { startSimLabpool, type SimLabpool } from '../../support/sim-labpool.js';
import { lbaasCall } from './lbaas-https.js';

describe('LBaaS Device API: token auth, and a restart', () => {
  let sim: SimLabpool;
  let config: LabpoolConfig | undefined;
  let certFile: string;
  let token: string;
  const urlOf = () => sim.labpool.part(lbaasDialect).url() ?? assert.fail('LBaaS is on');
  const call = (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
    lbaasCall(urlOf(), readFileSync(certFile, 'utf8'), method, path, { headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  before(async () => {
    sim = await startSimLabpool(2, { lbaas: { port: 0, requireToken: true } }, (adjusted) => (config = adjusted));
    certFile = simCertificateFiles(dirname(config?.store.kind === 'sqlite' ? config.store.path : '')).certFile;
    const response = await fetch(`${sim.labpool.url}/api/v1/token`, { method: 'POST', headers: { Authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}` } });
    token = ((await response.json()) as { token: string }).token;
  });
  after(() => sim?.stop());

  it('with requireToken, answers 401 in its shape without a valid X-Auth-Token, and serves an operator', async () => {
    for (const headers of [{}, { 'X-Auth-Token': 'not-a-token' }] as Record<string, string>[]) {
      const answer = await call('GET', '/v1/devices', headers);
      assert.equal(answer.status, 401);
      assert.ok(isLbaasError(answer.body, 401), JSON.stringify(answer.body));
    }
    const answer = await call('GET', '/v1/devices', { 'X-Auth-Token': token });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.devices.length, 2);
  });

  it('keeps its devices and its certificate over a restart: the inventory sync leaves them alone', async () => {
    const created = await call('POST', '/v1/devices', { 'X-Auth-Token': token }, { name: 'lb-kept', address: '10.1.2.3' });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const certificate = readFileSync(certFile, 'utf8');
    await sim.restart();
    assert.equal(readFileSync(certFile, 'utf8'), certificate);
    const kept = await call('GET', `/v1/devices/${created.body.id}`, { 'X-Auth-Token': token });
    assert.equal(kept.status, 200);
    assert.deepEqual([kept.body.name, kept.body.address], ['lb-kept', '10.1.2.3']);
  });
});
