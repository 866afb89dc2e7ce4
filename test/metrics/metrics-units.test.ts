import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMetrics } from '../../src/metrics/create-metrics.js';
import { pduLabelOf } from '../../src/metrics/pdu-label.js';
import { createEventStore } from '../../src/store/create-store.js';
import { LOG_START, type EventToAppend, type RecordedEvent } from '../../src/store/port.js';
import { InMemoryMozpoolReadModels } from '../support/in-memory-mozpool-read-models.js';
import { registerRequestGauge } from '../../src/dialects/mozpool/projections/request-gauge.js';
import { aDevice, aRequest } from '../support/mozpool-views.js';
import { sampleValue } from '../support/prometheus-text.js';

function createMemoryStore() {
  return createEventStore({ kind: 'sqlite', path: ':memory:', synchronous: 'NORMAL' });
}

const event = (type: string, data: Record<string, string | number | null>): EventToAppend => ({ type, data });

/** Appends through `metrics`' store; `apply` decides whether the metrics projections see the events. */
async function appendAll(metrics: ReturnType<typeof createMetrics>, stream: string, events: readonly EventToAppend[], apply = true): Promise<void> {
  const store = metrics.wrapStore(createMemoryStore());
  await store.appendToStream(stream, events, 'any');
  if (!apply) return;
  const recorded: RecordedEvent[] = [];
  for await (const one of store.readAll(LOG_START)) recorded.push(one);
  for (const one of recorded) for (const projection of metrics.projections) projection.apply(one);
}

describe('pduLabelOf', () => {
  it('names the PDU host:port of either relay_info form, with the default SNMP port', () => {
    assert.equal(pduLabelOf('pdu1:161/7'), 'pdu1:161');
    assert.equal(pduLabelOf('pdu2.lab/3'), 'pdu2.lab:161');
    assert.equal(pduLabelOf('snmp://private@10.0.0.5:16161/2?model=some_model_from_config'), '10.0.0.5:16161');
  });

  it('labels an unparsable or missing relay_info unknown', () => {
    assert.equal(pduLabelOf('not a relay'), 'unknown');
    assert.equal(pduLabelOf(undefined), 'unknown');
  });
});

describe('createMetrics', () => {
  it('gives every server its own registry: two in one process do not collide', async () => {
    const readModels = new InMemoryMozpoolReadModels();
    const [first, second] = [createMetrics({ readModels }), createMetrics({ readModels })];
    assert.notEqual(first.registry, second.registry);
    assert.match(await second.registry.metrics(), /labpool_devices/);
  });

  it('observes boot and imaging durations from BootStarted/BootEnded by kind, image and outcome', async () => {
    const metrics = createMetrics({ readModels: new InMemoryMozpoolReadModels() });
    await appendAll(metrics, 'device-panda-0001', [
      event('BootStarted', { bootId: 'panda-0001.3', kind: 'image', image: 'ubuntu', pxeConfig: 'panda-ubuntu', atMs: 10_000 }),
      event('DeviceLogged', { source: 'x', message: 'between', atMs: 50_000 }),
      event('BootEnded', { bootId: 'panda-0001.3', outcome: 'complete', state: 'operation_complete', atMs: 100_000 }),
    ]);
    const text = await metrics.registry.metrics();
    assert.equal(sampleValue(text, 'labpool_boot_duration_seconds_count', { kind: 'image', outcome: 'complete' }), 1);
    assert.equal(sampleValue(text, 'labpool_boot_duration_seconds_sum', { kind: 'image', outcome: 'complete' }), 90);
    assert.equal(sampleValue(text, 'labpool_imaging_duration_seconds_bucket', { image: 'ubuntu', outcome: 'complete', le: '60' }), 0);
    assert.equal(sampleValue(text, 'labpool_imaging_duration_seconds_bucket', { image: 'ubuntu', outcome: 'complete', le: '120' }), 1);
  });

  it('keeps power cycles out of the imaging histogram', async () => {
    const metrics = createMetrics({ readModels: new InMemoryMozpoolReadModels() });
    await appendAll(metrics, 'device-panda-0001', [
      event('BootStarted', { bootId: 'panda-0001.7', kind: 'power_cycle', image: null, pxeConfig: null, atMs: 0 }),
      event('BootEnded', { bootId: 'panda-0001.7', outcome: 'failed', state: 'failed_pc_pinging', atMs: 5_000 }),
    ]);
    const text = await metrics.registry.metrics();
    assert.equal(sampleValue(text, 'labpool_boot_duration_seconds_count', { kind: 'power_cycle', outcome: 'failed' }), 1);
    assert.equal(sampleValue(text, 'labpool_imaging_duration_seconds_count'), undefined);
  });

  it('counts power cycle failures by the PDU of the device, unknown for an unknown device', async () => {
    const readModels = new InMemoryMozpoolReadModels();
    readModels.addDevice(aDevice({ name: 'panda-0001', relayInfo: 'pdu7:1161/4' }));
    const metrics = createMetrics({ readModels });
    await appendAll(metrics, 'device-panda-0001', [event('PowerCycleFailed', { error: 'timeout', atMs: 1 }), event('PowerCycleFailed', { error: 'timeout', atMs: 2 })]);
    await appendAll(metrics, 'device-ghost', [event('PowerCycleFailed', { error: 'timeout', atMs: 3 })]);
    const text = await metrics.registry.metrics();
    assert.equal(sampleValue(text, 'labpool_power_cycle_failures_total', { pdu: 'pdu7:1161' }), 2);
    assert.equal(sampleValue(text, 'labpool_power_cycle_failures_total', { pdu: 'unknown' }), 1);
  });

  it('times appends by outcome; a wrong expected revision is a conflict', async () => {
    const metrics = createMetrics({ readModels: new InMemoryMozpoolReadModels() });
    const store = metrics.wrapStore(createMemoryStore());
    await store.appendToStream('device-x', [event('DeviceLogged', { source: 't', message: 'm', atMs: 1 })], 'no_stream');
    await assert.rejects(store.appendToStream('device-x', [event('DeviceLogged', { source: 't', message: 'm', atMs: 2 })], 'no_stream'));
    const text = await metrics.registry.metrics();
    assert.equal(sampleValue(text, 'labpool_event_append_duration_seconds_count', { outcome: 'ok' }), 1);
    assert.equal(sampleValue(text, 'labpool_event_append_duration_seconds_count', { outcome: 'conflict' }), 1);
    assert.equal((await store.readStream('device-x')).length, 1, 'the decorated store still stores');
  });

  it('reports projection lag: events appended here and not yet applied, and the age of the oldest', async () => {
    const metrics = createMetrics({ readModels: new InMemoryMozpoolReadModels() });
    const store = metrics.wrapStore(createMemoryStore());
    await store.appendToStream('device-y', [event('DeviceLogged', { source: 't', message: 'a', atMs: 1 }), event('DeviceLogged', { source: 't', message: 'b', atMs: 2 })], 'any');
    await new Promise((resolve) => setTimeout(resolve, 20));
    let text = await metrics.registry.metrics();
    assert.equal(sampleValue(text, 'labpool_projection_lag_events'), 2);
    assert.ok((sampleValue(text, 'labpool_projection_lag_seconds') ?? 0) >= 0.01);
    for await (const one of store.readAll(LOG_START)) for (const projection of metrics.projections) projection.apply(one);
    text = await metrics.registry.metrics();
    assert.equal(sampleValue(text, 'labpool_projection_lag_events'), 0);
    assert.equal(sampleValue(text, 'labpool_projection_lag_seconds'), 0);
  });

  it('counts devices and requests by state at scrape time', async () => {
    const readModels = new InMemoryMozpoolReadModels();
    const metrics = createMetrics({ readModels });
    // MozPool's part adds its request gauge to the server's registry.
    registerRequestGauge(metrics.registry, readModels.requests);
    readModels.addDevice(aDevice({ name: 'a', state: 'ready' }));
    readModels.addDevice(aDevice({ name: 'b', state: 'ready' }));
    readModels.addDevice(aDevice({ name: 'c', state: 'pxe_booting' }));
    readModels.addRequest(aRequest({ id: 1, state: 'closed' }));
    let text = await metrics.registry.metrics();
    assert.equal(sampleValue(text, 'labpool_devices', { state: 'ready' }), 2);
    assert.equal(sampleValue(text, 'labpool_requests', { state: 'closed' }), 1);
    assert.equal(sampleValue(text, 'labpool_devices', { state: 'pxe_booting' }), 1);
    readModels.deviceViews.delete('c');
    text = await metrics.registry.metrics();
    assert.equal(sampleValue(text, 'labpool_devices', { state: 'pxe_booting' }), undefined, 'a state nobody is in disappears');
  });
});
