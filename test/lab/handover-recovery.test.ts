import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { requestHolder } from '../../src/dialects/mozpool/domain/request-holder.js';
import { syncInventory } from '../../src/lab/inventory-sync.js';
import { startLabpool, type RunningLabpool } from '../../src/labpool.js';
import { createFakeHardware } from '../support/fake-hardware.js';
import { createTestConfig, createTestInventory, forceReady } from '../support/lab-harness.js';
import { createMemoryLog, type LogLine } from '../support/memory-log.js';

const A = '127.0.0.1:8041';
const B = '127.0.0.1:8042';
const [ON_A, ON_B] = ['panda-0001', 'panda-0002'];

/**
 * After a handover the new owner runs the families' recovery for the devices it took, and only for
 * them: B died between attaching its device to a request and opening it (the recovery detaches it),
 * while A is itself between those two steps for its own device (which must stay attached).
 */
describe('handover: the families’ recovery, for the devices moved only', () => {
  let dir: string;
  let a: RunningLabpool;
  let b: RunningLabpool | undefined;
  let aLog: LogLine[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'labpool-handover-recovery-'));
    const store = { kind: 'sqlite', path: join(dir, 'events.db'), synchronous: 'NORMAL' } as const;
    const base = createTestInventory(2);
    const inventory = { ...base, devices: base.devices.map((device, i) => ({ ...device, imagingServer: [A, B][i]! })) };
    const start = async (serverId: string, own: string, logger = createMemoryLog('warn').logger) => {
      const fake = createFakeHardware();
      fake.power.set(own, 'hang');
      const labpool = await startLabpool(createTestConfig({ serverId, store }), { hardware: fake.hardware, logger });
      await syncInventory(labpool.lab, inventory, { force: false });
      await forceReady(labpool, own);
      fake.power.delete(own);
      return labpool;
    };
    const memory = createMemoryLog('warn');
    aLog = memory.lines;
    a = await start(A, ON_A, memory.logger);
    b = await start(B, ON_B);
  });

  after(async () => {
    await a?.stop();
    await b?.stop();

    rmSync(dir, { recursive: true, force: true });
  });

  it('detaches the moved device from the request B never opened, and leaves A’s own alone', async () => {
    const attach = (labpool: RunningLabpool, device: string, request: number) =>
      labpool.lab.context.kinds.devices.ask(device, { type: 'AttachHolder', holder: requestHolder(request), nowMs: Date.now() });
    assert.ok((await attach(b!, ON_B, 901)).ok);
    assert.ok((await attach(a, ON_A, 902)).ok);
    await b!.stop();
    b = undefined;
    // B never heartbeat (no `servers` section): it is not alive, no force needed.
    const response = await fetch(`${a.url}/labpool/servers/${B}/handover`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ to: A }) });
    assert.equal(response.status, 200, await response.clone().text());
    assert.deepEqual(((await response.json()) as { devices: string[] }).devices, [ON_B]);
    const devices = a.lab.context.readModels.devices;
    assert.deepEqual([devices.get(ON_B)?.imagingServer, devices.get(ON_B)?.holder], [A, null]);
    assert.deepEqual(devices.get(ON_A)?.holder, requestHolder(902));
    assert.ok(
      aLog.some((line) => String(line.msg).includes('1 device(s) detached')),
      JSON.stringify(aLog),
    );
    assert.ok(devices.log(ON_B).some((line) => line.message.includes('recovered after a handover: the request never opened')));
  });
});
