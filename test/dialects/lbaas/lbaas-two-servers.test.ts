import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadTlsCredentials } from '../../../src/dialects/lbaas/lbaas-certificate.js';
import { simCertificateFiles } from '../../../src/dialects/lbaas/lbaas-config.js';
import { lbaasDialect } from '../../../src/dialects/lbaas/lbaas-dialect.js';
import { syncInventory } from '../../../src/lab/inventory-sync.js';
import { startLabpool, type RunningLabpool } from '../../../src/labpool.js';
import { createFakeHardware } from '../../support/fake-hardware.js';
import { createTestConfig, createTestInventory } from '../../support/lab-harness.js';
import { waitFor } from '../../support/wait-for.js';
import { lbaasCall } from './lbaas-https.js';

const SERVER_IDS = ['127.0.0.1:8041', '127.0.0.1:8042'] as const;
const INVENTORY_DEVICES = 4;
const CREATES_EACH = 10;

type Listed = { readonly id: number; readonly name: string; readonly address: string };

describe('LBaaS on two servers sharing one store', () => {
  let dir: string;
  let ca: string;
  const servers: RunningLabpool[] = [];
  const urlOf = (labpool: RunningLabpool) => labpool.part(lbaasDialect).url() ?? assert.fail('LBaaS is on');
  const list = async (labpool: RunningLabpool) => (await lbaasCall(urlOf(labpool), ca, 'GET', '/v1/devices')).body.devices as Listed[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'labpool-lbaas-two-'));
    // One certificate, made as the simulated lab makes it, configured as files on both servers.
    await loadTlsCredentials({ kind: 'generated', folder: dir }, '127.0.0.1');
    const files = simCertificateFiles(dir);
    ca = readFileSync(files.certFile, 'utf8');
    const store = { kind: 'sqlite', path: join(dir, 'events.db'), synchronous: 'NORMAL' } as const;
    const base = createTestInventory(INVENTORY_DEVICES);
    const inventory = { ...base, devices: base.devices.map((device, i) => ({ ...device, imagingServer: SERVER_IDS[i % 2]! })) };
    for (const serverId of SERVER_IDS) {
      servers.push(await startLabpool(createTestConfig({ serverId, store, lbaas: { port: 0, ...files } }), { hardware: createFakeHardware().hardware }));
    }
    await Promise.all(servers.map((labpool) => syncInventory(labpool.lab, inventory, { force: false })));
  });

  after(async () => {
    for (const labpool of servers) await labpool.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives devices created on both servers at once ids of their own, which both servers list', async () => {
    const creates = servers.flatMap((labpool, s) => Array.from({ length: CREATES_EACH }, (_, i) => ({ labpool, name: `lb-${s}-${i}`, address: `10.9.${s}.${i + 1}` })));
    const answers = await Promise.all(creates.map(({ labpool, name, address }) => lbaasCall(urlOf(labpool), ca, 'POST', '/v1/devices', { body: JSON.stringify({ name, address }) })));
    for (const answer of answers) assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const ids = answers.map((answer) => answer.body.id as number);
    // The inventory's devices keep 1..4; the creates take the next ones, each once.
    assert.deepEqual(
      [...ids].sort((a, b) => a - b),
      Array.from({ length: creates.length }, (_, i) => INVENTORY_DEVICES + i + 1),
    );
    const expected = creates.map(({ name, address }, i) => ({ id: ids[i]!, name, address })).sort((a, b) => a.id - b.id);
    for (const labpool of servers) {
      await waitFor(async () => (await list(labpool)).length === INVENTORY_DEVICES + creates.length);
      const created = (await list(labpool)).filter((device) => device.name.startsWith('lb-'));
      assert.deepEqual(
        created.map(({ id, name, address }) => ({ id, name, address })).sort((a, b) => a.id - b.id),
        expected,
      );
    }
  });
});
