import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestInventory, startTestLab, type TestLab } from '../support/lab-harness.js';
import { sampleValue } from '../support/prometheus-text.js';
import { waitFor } from '../support/wait-for.js';

type Answer = { readonly status: number; readonly body: any };

async function api(lab: TestLab, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${lab.url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text) };
}

async function scrape(lab: TestLab): Promise<string> {
  const response = await fetch(`${lab.url}/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return response.text();
}

async function deviceState(lab: TestLab, device: string): Promise<string> {
  return (await api(lab, 'GET', `/api/device/${device}/state/`)).body.state;
}

describe('GET /metrics on a test lab', () => {
  let lab: TestLab;
  before(async () => {
    lab = await startTestLab(createTestInventory(3));
  });
  after(() => lab.labpool.stop());

  it('counts the devices by state, all ready at first, and no lag once commands have answered', async () => {
    const text = await scrape(lab);
    assert.equal(sampleValue(text, 'labpool_devices', { state: 'ready' }), 3);
    assert.equal(sampleValue(text, 'labpool_projection_lag_events'), 0);
    assert.ok((sampleValue(text, 'labpool_event_append_duration_seconds_count', { outcome: 'ok' }) ?? 0) > 0);
  });

  it('after a lease: devices and requests by state, boot and imaging durations, append latency', async () => {
    const created = await api(lab, 'POST', '/api/device/any/request/', { assignee: 'me', duration: 600, image: 'android', b2gbase: 'http://x/b2g' });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const { id, assigned_device: device } = created.body.request;
    await waitFor(async () => (await deviceState(lab, device)) === 'pxe_booting');
    const during = await scrape(lab);
    assert.equal(sampleValue(during, 'labpool_devices', { state: 'pxe_booting' }), 1);
    assert.equal(sampleValue(during, 'labpool_devices', { state: 'ready' }), 2);
    assert.equal(sampleValue(during, 'labpool_requests', { state: 'pending' }), 1);
    for (const event of ['mobile_init_started', 'android_downloading', 'android_extracting', 'android_rebooting']) {
      const reported = await api(lab, 'POST', `/api/device/${device}/event/${event}/`);
      assert.equal(reported.status, 200, `${event}: ${JSON.stringify(reported.body)}`);
    }
    await waitFor(async () => (await api(lab, 'GET', `/api/request/${id}/status/`)).body.state === 'ready');
    // The histograms follow the log (BootEnded on the device's stream): wait for the finished image
    // boot to reach them, whatever its outcome.
    let text = '';
    await waitFor(async () => {
      text = await scrape(lab);
      return sampleValue(text, 'labpool_boot_duration_seconds_count', { kind: 'image' }) !== undefined;
    });
    assert.equal(sampleValue(text, 'labpool_requests', { state: 'ready' }), 1);
    assert.equal(sampleValue(text, 'labpool_devices', { state: 'ready' }), 3);
    assert.equal(sampleValue(text, 'labpool_boot_duration_seconds_count', { kind: 'image', outcome: 'complete' }), 1, text);
    assert.equal(sampleValue(text, 'labpool_imaging_duration_seconds_count', { image: 'android', outcome: 'complete' }), 1);
    assert.ok((sampleValue(text, 'labpool_event_append_duration_seconds_count', { outcome: 'ok' }) ?? 0) > 0);
  });

  it('counts a failing power cycle against the PDU named by the device relay_info', async () => {
    // A device the previous test's `any` lease did not take.
    const devices = (await api(lab, 'GET', '/api/device/list/?details=1')).body.devices as { name: string; request_id: number | null }[];
    const free = devices.find((device) => device.request_id === null);
    assert.ok(free);
    lab.fake.power.set(free.name, 'fail');
    // The state machine's power cycle records PowerCycleFailed.
    assert.equal((await api(lab, 'POST', `/api/device/${free.name}/request/`, { assignee: 'me', duration: 600, image: 'ubuntu' })).status, 200);
    let text = '';
    await waitFor(async () => {
      text = await scrape(lab);
      return (sampleValue(text, 'labpool_power_cycle_failures_total', { pdu: 'pdu1:161' }) ?? 0) >= 1;
    });
    assert.equal(sampleValue(text, 'labpool_power_cycle_failures_total', { pdu: 'unknown' }), undefined);
  });

  it('counts a failing BMM power cycle too', async () => {
    const devices = (await api(lab, 'GET', '/api/device/list/?details=1')).body.devices as { name: string; state: string }[];
    const ready = devices.find((device) => device.state === 'ready');
    assert.ok(ready);
    const before = sampleValue(await scrape(lab), 'labpool_power_cycle_failures_total', { pdu: 'pdu1:161' }) ?? 0;
    lab.fake.power.set(ready.name, 'fail');
    assert.equal((await api(lab, 'POST', `/api/device/${ready.name}/power-cycle/`, {})).status, 200);
    await waitFor(async () => (sampleValue(await scrape(lab), 'labpool_power_cycle_failures_total', { pdu: 'pdu1:161' }) ?? 0) === before + 1);
    assert.equal(await deviceState(lab, ready.name), 'ready', 'a BMM power cycle leaves the LifeGuard state alone');
  });
});
