import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningLabpool } from '../../src/labpool.js';
import { simHardwareOf } from '../../src/sim/sim-facts.js';
import { startSimLabpool, type SimLabpool } from '../support/sim-labpool.js';
import { waitFor } from '../support/wait-for.js';

/** Generous: conditions are awaited, and this only bounds how long a broken build takes to fail. */
const PATIENCE_MS = 90_000;

/**
 * Hardware facts through the whole simulated lab: a new device self-tests over SNMP, TFTP and its
 * second stage, which posts an lshw-like report over HTTP; imaging it posts another after the download.
 */
describe('simulated lab end to end: hardware facts and node selectors', () => {
  let sim: SimLabpool;
  let labpool: RunningLabpool;
  const facts = () => labpool.lab.context.readModels.facts;
  const get = async (path: string) => (await (await fetch(`${labpool.url}${path}`)).json()) as any;
  const logOf = async (device: string) => (await get(`/api/device/${device}/log/`)).log.map((line: { message: string }) => line.message) as string[];

  before(async () => {
    sim = await startSimLabpool(2, {}, (config) => ({ ...config, sim: { ...config.sim, faults: {} } }));
    labpool = sim.labpool;
  });
  after(() => sim?.stop());

  it('gives the simulated devices tags, labels and a rack with its labels', () => {
    const device = labpool.lab.context.readModels.devices.get('sim-0001');
    assert.deepEqual([device?.tags, device?.labels, device?.rack, device?.rackLabels], [['compute', 'high_memory'], { role: 'compute', arch: 'x86_64' }, 'rack-1', { room: 'lab-1', row: 'a' }]);
    assert.deepEqual(labpool.lab.context.readModels.devices.get('sim-0002')?.tags, ['storage']);
  });

  it('records the report a self-test posts', async () => {
    await waitFor(() => facts().of('sim-0001').length > 0, PATIENCE_MS);
    const report = facts().latest('sim-0001');
    assert.equal(report?.generator, 'lshw');
    assert.equal(report?.facts['serial'], 'sim-0001');
    const hardware = simHardwareOf(0);
    assert.deepEqual(facts().summary('sim-0001'), { cpus: hardware.cpus, memoryKb: hardware.memoryKb, diskBytes: hardware.diskBytes.reduce((a, b) => a + b, 0), os: 'self-test' });
    await waitFor(async () => (await get('/api/device/sim-0001/state/')).state === 'ready', PATIENCE_MS);
    const log = await logOf('sim-0001');
    assert.ok(log.indexOf('hardware facts reported (lshw, application/json)') > log.findIndex((line) => line.includes('self_test_running')), log.join('\n'));
  });

  it('records one more when the device is imaged, after its download step, with the request as holder', async () => {
    const before = facts().of('sim-0001').length;
    const response = await fetch(`${labpool.url}/api/device/sim-0001/request/`, { method: 'POST', body: JSON.stringify({ assignee: 'me', duration: 600, image: 'ubuntu' }) });
    assert.equal(response.status, 200);
    const { request } = (await response.json()) as { request: { id: number } };
    await waitFor(async () => (await get(`/api/request/${request.id}/status/`)).state === 'ready', PATIENCE_MS);
    const reports = facts().of('sim-0001');
    assert.equal(reports.length, before + 1);
    assert.deepEqual([reports.at(-1)?.facts['os'], reports.at(-1)?.holder], ['ubuntu', { kind: 'mozpool_request', id: String(request.id) }]);
    const log = await logOf('sim-0001');
    const lastFacts = log.length - 1 - [...log].reverse().findIndex((line) => line.startsWith('hardware facts reported'));
    assert.ok(log.findIndex((line) => line.startsWith('event ubuntu_downloading')) < lastFacts, log.join('\n'));
    assert.ok(lastFacts < log.findIndex((line) => line.startsWith('event ubuntu_extracting')), log.join('\n'));
  });
});
