import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { createTestInventory, startTestLab, type TestLab } from '../support/lab-harness.js';
import { waitFor } from '../support/wait-for.js';

/** Written by labpool before device holders (see test/fixtures/stores/make-v0-store.ts). */
const FIXTURE = new URL('../fixtures/stores/v0-leases.sqlite', import.meta.url).pathname;

describe('a store written before device holders', () => {
  let dir: string;
  let path: string;
  let lab: TestLab;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'labpool-old-store-'));
    path = join(dir, 'labpool.sqlite');
    copyFileSync(FIXTURE, path);
    // The lab restarts as if just after the fixture was written: its leases must not have expired since.
    const fixture = openSqliteStore({ path: FIXTURE });
    let writtenAtMs = 0;
    for await (const event of fixture.readAll()) writtenAtMs = Math.max(writtenAtMs, event.createdAtMs);
    await fixture.close();
    const startedAtMs = Date.now();
    const nowMs = () => writtenAtMs + (Date.now() - startedAtMs);
    lab = await startTestLab(createTestInventory(3), { ready: false, nowMs, config: { store: { kind: 'sqlite', path, synchronous: 'NORMAL' } } });
  });

  after(async () => {
    await lab.labpool.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds the old request events as they were stored, and old snapshots', async () => {
    const raw = openSqliteStore({ path: FIXTURE });
    try {
      const types = (await raw.readStream('device-panda-0001')).map((event) => event.type);
      assert.ok(types.includes('DeviceRequestAttached') && types.includes('DeviceRequestDetached'), types.join(' '));
      assert.notEqual(await raw.readSnapshot('device-panda-0002'), undefined);
    } finally {
      await raw.close();
    }
  });

  it('reads them as holder events, everywhere', async () => {
    const events = await lab.labpool.store.readStream('device-panda-0001');
    assert.deepEqual(
      events.filter((event) => event.type.startsWith('DeviceHolder')).map(({ type, data }) => ({ type, holder: (data as { holder: unknown }).holder })),
      [
        { type: 'DeviceHolderAttached', holder: { kind: 'mozpool_request', id: '1' } },
        { type: 'DeviceHolderDetached', holder: { kind: 'mozpool_request', id: '1' } },
      ],
    );
    assert.ok(!events.some((event) => event.type.startsWith('DeviceRequest')));
  });

  it('loads each device held by the request that held it', async () => {
    const devices = lab.labpool.lab.context.kinds.devices;
    assert.deepEqual((await devices.read('panda-0002')).state.holder, { kind: 'mozpool_request', id: '2' });
    assert.equal((await devices.read('panda-0001')).state.holder, null);
  });

  it('answers the MozPool routes as before: request ids and log lines', async () => {
    const list = (await (await fetch(`${lab.url}/api/device/list/?details=1`)).json()) as { devices: { name: string; request_id: number | null }[] };
    assert.deepEqual(
      list.devices.map((device) => [device.name, device.request_id]),
      [
        ['panda-0001', null],
        ['panda-0002', 2],
        ['panda-0003', null],
      ],
    );
    const log = (await (await fetch(`${lab.url}/api/device/panda-0001/log/`)).json()) as { log: { message: string }[] };
    const messages = log.log.map((line) => line.message);
    assert.ok(messages.includes('attached to request 1') && messages.includes('detached from request 1: returned'), messages.join('\n'));
  });

  it('returns the old lease: the device is detached from the request the old events named', async () => {
    const response = await fetch(`${lab.url}/api/request/2/return/`, { method: 'POST' });
    assert.equal(response.status, 204);
    await waitFor(async () => (await lab.labpool.lab.context.kinds.devices.read('panda-0002')).state.holder === null);
    const last = (await lab.labpool.store.readStream('device-panda-0002')).filter((event) => event.type === 'DeviceHolderDetached');
    assert.deepEqual(
      last.map((event) => (event.data as { holder: unknown }).holder),
      [{ kind: 'mozpool_request', id: '2' }],
    );
  });
});
