import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimLabpool, type SimLabpool } from '../support/sim-labpool.js';
import { waitFor } from '../support/wait-for.js';

/** Generous: conditions are awaited, and this only bounds how long a broken build takes to fail. */
const PATIENCE_MS = 90_000;
const POOL = 'ubuntu-2204';

type PoolView = { ready: number; running: number; devices: { device: string; queue: string }[] };

/**
 * A vmpooler pool on the simulated lab, through real protocols on loopback: the pool's devices are
 * imaged by SNMP power cycles against the simulated PDUs, PXE files fetched over TFTP, the second
 * stage over HTTP and verify over TCP; a checkout and a delete over vmpooler's HTTP API; the deleted
 * host is imaged again the same way and comes back ready. No faults: every device boots.
 */
describe('simulated lab end to end: a vmpooler pool', () => {
  let sim: SimLabpool;
  let url: string;
  const get = async (path: string) => (await (await fetch(`${url}${path}`)).json()) as any;
  const pool = async () => (await get(`/labpool/pools/${POOL}`)) as PoolView;
  const logOf = async (device: string) => (await get(`/api/device/${device}/log/`)).log.map((line: { message: string }) => line.message).join('\n') as string;

  before(async () => {
    sim = await startSimLabpool(4, { vmpooler: { pools: [{ name: POOL, alias: ['ubuntu'], image: 'ubuntu', size: 2, reimageConcurrency: 2 }] } }, (config) => ({
      ...config,
      sim: { ...config.sim, faults: {} },
    }));
    url = sim.labpool.url;
  });
  after(() => sim?.stop());

  it('fills the pool through power cycle, PXE over TFTP and the second stage', async () => {
    await waitFor(async () => (await pool()).ready === 2, PATIENCE_MS);
    const ready = (await pool()).devices.filter((member) => member.queue === 'ready');
    assert.equal(ready.length, 2);
    for (const { device } of ready) {
      const log = await logOf(device);
      for (const step of ['pxe_power_cycling', 'power cycle ok', 'ubuntu_downloading', 'ubuntu_extracting', 'verifying', 'operation_complete'])
        assert.match(log, new RegExp(step), `${device}: ${step}`);
    }
  });

  it('checks a host out over HTTP, deletes it, and the device comes back ready after a fresh imaging', async () => {
    const response = await fetch(`${url}/api/v1/vm/ubuntu`, { method: 'POST' });
    assert.equal(response.status, 200);
    const hostname = ((await response.json()) as { ubuntu: { hostname: string } }).ubuntu.hostname;
    const running = await get(`/api/v1/vm/${hostname}`);
    assert.equal(running[hostname].state, 'running');
    assert.equal(running[hostname].template, POOL);
    // v1 answers the short host name, which is the device's name.
    const device = hostname;
    assert.ok(
      (await pool()).devices.every((member) => member.device !== device),
      'checked out: no longer among the members',
    );
    const bootsBefore = (await get(`/api/device/${device}/boots/`)).boots.length as number;

    assert.deepEqual(await (await fetch(`${url}/api/v1/vm/${hostname}`, { method: 'DELETE' })).json(), { ok: true });
    await waitFor(async () => (await pool()).devices.some((member) => member.device === device && member.queue === 'ready'), PATIENCE_MS);
    assert.equal((await get(`/api/v1/vm/${hostname}`))[hostname].state, 'ready');
    const boots = (await get(`/api/device/${device}/boots/`)).boots as { kind: string; image: string }[];
    assert.ok(boots.length > bootsBefore, 'imaged again after the delete');
    assert.deepEqual([boots.at(-1)?.kind, boots.at(-1)?.image], ['image', 'ubuntu']);
    await waitFor(async () => (await pool()).ready === 2 && (await pool()).running === 0, PATIENCE_MS);
  });
});
