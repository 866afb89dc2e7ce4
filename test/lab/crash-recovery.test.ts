import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { LabpoolConfig } from '../../src/config/config.js';
import type { RunningLabpool } from '../../src/labpool.js';
import type { Logger } from '../../src/logging/logger.js';
import type { EventStore } from '../../src/store/port.js';
import { crashAfter, holdAppend } from '../support/store-faults.js';
import { createTestInventory, startTestLab, type TestLab } from '../support/lab-harness.js';
import { createMemoryLog } from '../support/memory-log.js';
import { waitFor } from '../support/wait-for.js';
import { mozpoolDialect } from '../../src/dialects/mozpool/mozpool-dialect.js';
import { requestIdOf } from '../../src/dialects/mozpool/domain/request-holder.js';

const INVENTORY = createTestInventory(3);

type Flow = (lab: TestLab) => Promise<void>;

const post = (lab: TestLab, path: string, body?: unknown) =>
  fetch(`${lab.url}${path}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) }).then(async (response) => ({
    status: response.status,
    json: (await response.json().catch(() => null)) as any,
  }));

/** A lease of any device: the lab attaches a device, then opens the request. */
const lease: Flow = async (lab) => void (await post(lab, '/api/device/any/request/', { assignee: 'me', duration: 600, image: 'ubuntu' }));

/** A lease, then its return: the request releases and closes, then the device detaches. */
const leaseAndReturn: Flow = async (lab) => {
  const { json } = await post(lab, '/api/device/any/request/', { assignee: 'me', duration: 600, image: 'ubuntu' });
  await post(lab, `/api/request/${json.request.id}/return/`);
};

/** A lease whose device fails while imaging: the request releases it and finds (attaches) another. */
const leaseWhoseDeviceFails: Flow = async (lab) => {
  const { json } = await post(lab, '/api/device/any/request/', { assignee: 'me', duration: 600, image: 'ubuntu' });
  await leaseWhoseDeviceFailsFrom(lab, json.request.assigned_device);
};

async function leaseWhoseDeviceFailsFrom(lab: TestLab, device: string): Promise<void> {
  const devices = lab.labpool.lab.context.kinds.devices;
  await waitFor(async () => (await devices.read(device)).state.state === 'pxe_booting');
  await post(lab, `/api/device/${device}/state-change/pxe_booting/to/failed_pxe_booting/`);
}

const CRASHES: { readonly step: string; readonly flow: Flow; readonly after: string; readonly occurrence?: number }[] = [
  { step: 'between attach and open', flow: lease, after: 'DeviceHolderAttached' },
  { step: 'between open and imaging', flow: lease, after: 'RequestOpened' },
  { step: 'between release (return) and detach', flow: leaseAndReturn, after: 'RequestClosed' },
  { step: 'after detach', flow: leaseAndReturn, after: 'DeviceHolderDetached' },
  { step: 'between attach of a second device and the find result', flow: leaseWhoseDeviceFails, after: 'DeviceHolderAttached', occurrence: 2 },
];

/** Devices and the requests holding them agree, both ways. */
function disagreements(labpool: RunningLabpool): string[] {
  const { devices, requests } = labpool.part(mozpoolDialect).lab.readModels;
  const problems: string[] = [];
  for (const device of devices.list()) {
    const requestId = requestIdOf(device.holder);
    if (requestId === null) continue;
    const request = requests.get(requestId);
    const holds = request !== undefined && !request.closed && !request.state.startsWith('failed_') && request.assigned_device === device.name;
    if (!holds) problems.push(`${device.name} attached to request ${requestId} (${request === undefined ? 'never opened' : `${request.state}, holding '${request.assigned_device}'`})`);
  }
  for (const request of requests.list(false)) {
    if (request.assigned_device === '' || request.state.startsWith('failed_')) continue;
    const device = devices.get(request.assigned_device);
    const holderId = requestIdOf(device?.holder ?? null);
    if (holderId !== request.id) problems.push(`request ${request.id} holds ${request.assigned_device}, attached to ${holderId ?? 'nothing'}`);
  }
  return problems;
}

async function waitForAgreement(labpool: RunningLabpool): Promise<void> {
  await waitFor(() => disagreements(labpool).length === 0).catch(() => assert.fail(`devices and requests disagree: ${disagreements(labpool).join('; ')}`));
}

/**
 * Every request a device's history names held that device: its own stream says it was assigned the
 * device, or the recovery detached the device because that request had moved on. An id a device was
 * attached to before its request ever opened must never be opened by another request later.
 */
/** The request id a holder event names. */
function heldBy(data: unknown): number {
  return Number((data as { holder: { kind: 'mozpool_request'; id: string } }).holder.id);
}

async function auditProblems(labpool: RunningLabpool): Promise<string[]> {
  const { store } = labpool;
  const problems: string[] = [];
  for (const { name } of INVENTORY.devices) {
    const events = await store.readStream(`device-${name}`);
    for (const event of events) {
      if (event.type !== 'DeviceHolderAttached') continue;
      const requestId = heldBy(event.data);
      const requestEvents = await store.readStream(`request-${requestId}`);
      if (requestEvents.length === 0) continue;
      const assigned = requestEvents.some((e) => e.type === 'RequestDeviceAssigned' && (e.data as { device: string }).device === name);
      const movedOn = events.some(
        (e) => e.type === 'DeviceHolderDetached' && heldBy(e.data) === requestId && /^recovered at start: request \d+ (is|holds)/.test((e.data as { reason: string }).reason),
      );
      if (!assigned && !movedOn) problems.push(`${name}'s history names request ${requestId}, which never held it`);
    }
  }
  return problems;
}

describe('crash recovery: devices and their requests agree after a crash at any step', { concurrency: true }, () => {
  for (const { step, flow, after, occurrence } of CRASHES) {
    it(`a crash ${step} (right after ${after}${occurrence ? ` #${occurrence}` : ''})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'labpool-crash-'));
      const config: Partial<LabpoolConfig> = {
        store: { kind: 'sqlite', path: join(dir, 'events.db'), synchronous: 'NORMAL' },
        mozpoolLimits: { findingTimeoutMs: 200, contactingTimeoutMs: 500 },
      };
      const { logger } = createMemoryLog('fatal');
      try {
        const crash = crashAfter(after, occurrence);
        const first = await startTestLab(INVENTORY, { config, logger });
        // The devices are ready: only now may the crash happen.
        const running = await startTestLabAgainWith(first, crash.wrap, config, logger);
        await flow(running).catch(() => undefined);
        await waitFor(() => crash.crashed());
        await running.labpool.stop();

        const second = await startTestLab(INVENTORY, { config, logger, ready: false });
        try {
          await waitForAgreement(second.labpool);
          assert.deepEqual(await auditProblems(second.labpool), []);
          // No id a crash left half-used is handed out again.
          const namedBefore = await idsNamedByDevices(second.labpool);
          const again = await post(second, '/api/device/any/request/', { assignee: 'me', duration: 600, image: 'ubuntu' });
          if (again.status === 200)
            assert.ok(
              namedBefore.every((id) => id < again.json.request.id),
              `new id ${again.json.request.id} after ${namedBefore.join(',')}`,
            );
          await waitForAgreement(second.labpool);
        } finally {
          await second.labpool.stop();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

/** Restarts on the same store with a crash injected: the first start made the devices ready. */
async function startTestLabAgainWith(first: TestLab, wrapStore: (store: EventStore) => EventStore, config: Partial<LabpoolConfig>, logger: Logger): Promise<TestLab> {
  await first.labpool.stop();
  const again = await startTestLab(INVENTORY, { config, logger, ready: false, fake: first.fake, wrapStore });
  // Power cycles work from here on (the harness hangs them at start, for devices that are not ready yet).
  for (const { name } of INVENTORY.devices) again.fake.power.delete(name);
  return again;
}

async function idsNamedByDevices(labpool: RunningLabpool): Promise<number[]> {
  const ids: number[] = [];
  for (const { name } of INVENTORY.devices) {
    for (const event of await labpool.store.readStream(`device-${name}`)) {
      if (event.type === 'DeviceHolderAttached') ids.push(heldBy(event.data));
    }
  }
  return ids;
}

describe('a find overtaken by its own finding timeout', () => {
  it('leaves no device attached to a request that does not hold it', async () => {
    let attaches = 0;
    let slowDevice = '';
    // The second attach of the run (the finder's, after the first device failed) waits on a slow disk.
    const slow = holdAppend((stream, types) => types.includes('DeviceHolderAttached') && ++attaches === 2 && Boolean((slowDevice = stream.slice('device-'.length))));
    const lab = await startTestLab(INVENTORY, { config: { mozpoolLimits: { findingTimeoutMs: 100 } }, wrapStore: slow.wrap });
    try {
      const { json } = await post(lab, '/api/device/any/request/', { assignee: 'me', duration: 600, image: 'ubuntu' });
      const requestId: number = json.request.id;
      const requests = lab.labpool.part(mozpoolDialect).lab.context.kinds.requests;
      await leaseWhoseDeviceFailsFrom(lab, json.request.assigned_device);
      await waitFor(() => slow.held());
      // Its finding timeouts fire meanwhile: later finds run, and one takes the other free device.
      await waitFor(async () => (await requests.read(String(requestId))).state.assignedDevice !== null);
      assert.notEqual((await requests.read(String(requestId))).state.assignedDevice, slowDevice);
      slow.release();
      await waitFor(async () => (await lab.labpool.lab.context.kinds.devices.read(slowDevice)).state.holder === null);
      await waitForAgreement(lab.labpool);
      const held = lab.labpool.lab.context.readModels.devices.list().filter((device) => requestIdOf(device.holder) === requestId);
      assert.equal(held.length, 1, `request ${requestId} holds one device: ${held.map((device) => device.name).join(', ')}`);
    } finally {
      await lab.labpool.stop();
    }
  });
});
