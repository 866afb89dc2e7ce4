import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { LabpoolConfig } from '../../../src/config/config.js';
import { RETURN_REASONS } from '../../../src/dialects/vmpooler/domain/vm-holder.js';
import { vmpoolerDialect } from '../../../src/dialects/vmpooler/vmpooler-dialect.js';
import type { RecordedEvent } from '../../../src/store/port.js';
import { createTestInventory, startTestLab, type TestLab } from '../../support/lab-harness.js';
import { createMemoryLog } from '../../support/memory-log.js';
import { driveSecondStages } from '../../support/second-stage.js';
import { crashAfter } from '../../support/store-faults.js';
import { waitFor } from '../../support/wait-for.js';

/** Exactly the pool's devices: no refill muddles which device the crash stranded. */
const INVENTORY = createTestInventory(2);
const POOL = 'p';
/** "Within seconds": recovery runs at start, it does not wait for a timer. */
const RECOVERY_MS = 5_000;

const queuesOf = (lab: TestLab) => lab.labpool.part(vmpoolerDialect).lab.context.pools.queues(POOL);

type Transfer = { readonly from: { kind: string; id: string }; readonly to: { kind: string; id: string }; readonly reason: string };

async function transfersOf(lab: TestLab, device: string): Promise<{ readonly event: RecordedEvent; readonly data: Transfer }[]> {
  const events = await lab.labpool.store.readStream(`device-${device}`);
  return events.filter((event) => event.type === 'DeviceHolderTransferred').map((event) => ({ event, data: event.data as Transfer }));
}

async function checkOut(lab: TestLab): Promise<Response> {
  return fetch(`${lab.url}/api/v1/vm/${POOL}`, { method: 'POST' });
}

/** The device a checkout took (the first one transferred to a VM). */
async function checkedOutDevice(lab: TestLab): Promise<string> {
  for (const { name } of INVENTORY.devices) if ((await transfersOf(lab, name)).some(({ data }) => data.to.kind === 'vmpooler_vm')) return name;
  throw new Error('no device was checked out');
}

const CRASHES: { readonly step: string; readonly after: string; readonly flow: (lab: TestLab) => Promise<void>; readonly returnReason: string }[] = [
  {
    step: "a checkout between the device's transfer and the VM record",
    after: 'DeviceHolderTransferred',
    flow: async (lab) => void (await checkOut(lab).catch(() => undefined)),
    returnReason: RETURN_REASONS.undone,
  },
  {
    step: "a delete between VmDeleted and the device's return",
    after: 'VmDeleted',
    flow: async (lab) => {
      const body = (await (await checkOut(lab)).json()) as Record<string, { hostname: string }>;
      await fetch(`${lab.url}/api/v1/vm/${body[POOL]!.hostname}`, { method: 'DELETE' }).catch(() => undefined);
    },
    returnReason: RETURN_REASONS.deleted,
  },
];

describe('vmpooler crash recovery: a device a crash left with a VM goes back to its pool', { concurrency: true }, () => {
  for (const { step, after, flow, returnReason } of CRASHES) {
    it(`after a crash in ${step}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'labpool-vmcrash-'));
      const config: Partial<LabpoolConfig> = {
        store: { kind: 'sqlite', path: join(dir, 'events.db'), synchronous: 'NORMAL' },
        vmpooler: { pools: [{ name: POOL, image: 'ubuntu', size: INVENTORY.devices.length, reimageConcurrency: 2 }] },
      };
      const { logger } = createMemoryLog('fatal');
      try {
        // Pool fills attach (never transfer) and record no VM: the first matching append is the flow's.
        const crash = crashAfter(after);
        const first = await startTestLab(INVENTORY, { config, logger, wrapStore: crash.wrap });
        const stopFirst = driveSecondStages(first.labpool);
        await waitFor(() => queuesOf(first).ready.length === INVENTORY.devices.length);
        await flow(first);
        await waitFor(() => crash.crashed());
        stopFirst();
        await first.labpool.stop();

        // Power works at once after the restart: a recovered device is imaged while the lab starts.
        for (const { name } of INVENTORY.devices) first.fake.power.set(name, 'ok');
        const second = await startTestLab(INVENTORY, { config, logger, ready: false, fake: first.fake });
        const stopSecond = driveSecondStages(second.labpool);
        try {
          const device = await checkedOutDevice(second);
          await waitFor(() => queuesOf(second).ready.includes(device), RECOVERY_MS);
          const { state } = await second.labpool.lab.context.kinds.devices.read(device);
          assert.deepEqual(state.holder, { kind: 'vmpooler_pool', id: POOL });
          assert.equal(second.labpool.part(vmpoolerDialect).lab.context.pools.vmOnDevice(device), undefined, 'held by no VM');
          assert.equal(queuesOf(second).running.size, 0);

          const transfers = await transfersOf(second, device);
          const back = transfers.at(-1)!;
          assert.equal(back.data.to.kind, 'vmpooler_pool');
          assert.equal(back.data.reason, returnReason, 'undone: ready at once; deleted: completed, to be imaged again');
          const later = (await second.labpool.store.readStream(`device-${device}`)).filter((event) => event.position > back.event.position).map((event) => event.type);
          if (returnReason === RETURN_REASONS.deleted) assert.ok(later.includes('DeviceImagingRequested'), `imaged again after its return: ${later.join(', ')}`);
          else assert.ok(!later.includes('DeviceImagingRequested'), `ready without imaging: ${later.join(', ')}`);
        } finally {
          stopSecond();
          await second.labpool.stop();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
