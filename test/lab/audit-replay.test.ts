import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { isoUtc } from '../../src/projections/lab/event-time.js';
import { createTestInventory, startTestLab, TEST_SERVER_ID, type TestLab } from '../support/lab-harness.js';
import { waitFor } from '../support/wait-for.js';

const DEVICE = 'panda-0001';

/** What the live API said, and the wall time right after it said it. */
type Sample = { readonly label: string; readonly atMs: number; readonly device: string; readonly request: string | null };

async function api(lab: TestLab, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${lab.url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text) };
}

const liveDeviceState = async (lab: TestLab) => (await api(lab, 'GET', `/api/device/${DEVICE}/state/`)).body.state as string;
const liveRequestState = async (lab: TestLab, id: number) => (await api(lab, 'GET', `/api/request/${id}/status/`)).body.state as string;

async function sample(lab: TestLab, label: string, requestId: number | null): Promise<Sample> {
  const device = await liveDeviceState(lab);
  const request = requestId === null ? null : await liveRequestState(lab, requestId);
  const atMs = Date.now();
  // The next command must be made in a later millisecond, or `time <= at` would count it as seen.
  await sleep(5);
  return { label, atMs, device, request };
}

/** Leases the device, images it through the second stage and returns it, sampling the live API at each stable point. */
async function driveLease(lab: TestLab): Promise<{ samples: Sample[]; requestId: number }> {
  const samples = [await sample(lab, 'before the request', null)];
  const created = await api(lab, 'POST', `/api/device/${DEVICE}/request/`, { assignee: 'auditor', duration: 600, image: 'android', b2gbase: 'http://x/b2g' });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const requestId: number = created.body.request.id;
  await waitFor(async () => (await liveDeviceState(lab)) === 'pxe_booting' && (await liveRequestState(lab, requestId)) === 'pending');
  samples.push(await sample(lab, 'pxe booting', requestId));
  for (const event of ['mobile_init_started', 'android_downloading']) {
    assert.equal((await api(lab, 'POST', `/api/device/${DEVICE}/event/${event}/`)).status, 200);
    await waitFor(async () => (await liveDeviceState(lab)) === event);
    samples.push(await sample(lab, event, requestId));
  }
  for (const event of ['android_extracting', 'android_rebooting']) await api(lab, 'POST', `/api/device/${DEVICE}/event/${event}/`);
  await waitFor(async () => (await liveDeviceState(lab)) === 'ready' && (await liveRequestState(lab, requestId)) === 'ready');
  samples.push(await sample(lab, 'leased and ready', requestId));
  assert.equal((await api(lab, 'POST', `/api/request/${requestId}/return/`)).status, 204);
  await waitFor(async () => (await liveRequestState(lab, requestId)) === 'closed');
  samples.push(await sample(lab, 'returned', requestId));
  return { samples, requestId };
}

describe('audit replay agrees with what the live API said', () => {
  let lab: TestLab;
  let samples: Sample[];
  let requestId: number;
  before(async () => {
    lab = await startTestLab(createTestInventory(2));
    ({ samples, requestId } = await driveLease(lab));
  });
  after(() => lab.labpool.stop());

  it('gives the live device state at every sampled instant', async () => {
    assert.deepEqual(new Set(samples.map((s) => s.device)), new Set(['ready', 'pxe_booting', 'mobile_init_started', 'android_downloading']));
    for (const { label, atMs, device } of samples) {
      const replayed = await api(lab, 'GET', `/api/device/${DEVICE}/history/?at=${isoUtc(atMs)}`);
      assert.equal(replayed.status, 200, label);
      assert.equal(replayed.body.mozpool_state, device, label);
      assert.equal(replayed.body.state.state, device, label);
    }
  });

  it("lists the lease's imaging boot, folded from the device's stream, with what the device reported", async () => {
    const { status, body } = await api(lab, 'GET', `/api/device/${DEVICE}/boots/`);
    assert.equal(status, 200);
    const imaging = body.boots.filter((boot: { kind: string }) => boot.kind === 'image');
    assert.equal(imaging.length, 1, JSON.stringify(body.boots));
    const [boot] = imaging;
    assert.deepEqual([boot.device, boot.image, boot.bootConfig, boot.holder], [DEVICE, 'android', '{"b2gbase":"http://x/b2g"}', { kind: 'mozpool_request', id: String(requestId) }]);
    assert.deepEqual(
      boot.deviceReports.map((report: { event: string }) => report.event),
      ['mobile_init_started', 'android_downloading', 'android_extracting', 'android_rebooting'],
    );
    assert.deepEqual(
      boot.powerCycles.map((cycle: { ok: boolean }) => cycle.ok),
      [true],
    );
    assert.equal(boot.stages[0].stage, 'start_pxe_boot');
    assert.deepEqual([boot.finished.outcome, boot.finished.finalState], ['complete', 'operation_complete']);
    const stageSumMs = Object.values(boot.finished.stageDurationsMs as Record<string, number>).reduce((sum, ms) => sum + ms, 0);
    assert.equal(stageSumMs, boot.finished.durationMs);
    assert.equal((await api(lab, 'GET', '/api/device/nope/boots/')).status, 404);
  });

  it('gives the live request state at every sampled instant, and none before it was opened', async () => {
    assert.deepEqual(
      samples.map((s) => s.request),
      [null, 'pending', 'pending', 'pending', 'ready', 'closed'],
    );
    for (const { label, atMs, request } of samples) {
      const replayed = await api(lab, 'GET', `/api/request/${requestId}/history/?at=${isoUtc(atMs)}`);
      assert.equal(replayed.status, 200, label);
      assert.equal(replayed.body.mozpool_state, request, label);
    }
  });

  it('shows the lease in the replayed device state, attached while leased and detached once returned', async () => {
    const attachedAt = (label: string) => samples.find((s) => s.label === label)?.atMs ?? assert.fail(label);
    const leased = await api(lab, 'GET', `/api/device/${DEVICE}/history/?at=${isoUtc(attachedAt('leased and ready'))}`);
    assert.deepEqual([leased.body.state.holder, leased.body.state.image], [{ kind: 'mozpool_request', id: String(requestId) }, 'android']);
    const returned = await api(lab, 'GET', `/api/device/${DEVICE}/history/?at=${isoUtc(attachedAt('returned'))}`);
    assert.equal(returned.body.state.holder, null);
  });

  it('lists the second stage between two sampled instants, with the HTTP call as cause', async () => {
    const [, booting, , downloading] = samples;
    assert.ok(booting !== undefined && downloading !== undefined);
    const { body } = await api(lab, 'GET', `/api/device/${DEVICE}/history/?from=${isoUtc(booting.atMs)}&to=${isoUtc(downloading.atMs)}`);
    const entered = body.history.filter((entry: { type: string }) => entry.type === 'DeviceStateEntered');
    assert.deepEqual(
      entered.map((entry: { data: { to: string } }) => entry.data.to),
      ['mobile_init_started', 'android_downloading'],
    );
    for (const entry of entered) {
      assert.match(entry.cause.correlationId, /^[0-9a-f-]{36}$/);
      assert.equal(entry.server, TEST_SERVER_ID);
    }
  });
});
