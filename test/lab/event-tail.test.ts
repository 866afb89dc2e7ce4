import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { WireEvent } from '../../src/http/events/event-wire.js';
import type { RecordedEvent } from '../../src/store/port.js';
import { createTestInventory, startTestLab, type TestLab } from '../support/lab-harness.js';
import { openSse } from '../support/sse-client.js';

async function post(lab: TestLab, path: string, body: unknown = {}): Promise<any> {
  const response = await fetch(`${lab.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
  assert.ok(response.status < 300, `${path}: ${response.status}`);
  const text = await response.text();
  return text === '' ? null : JSON.parse(text);
}

async function readLog(lab: TestLab, keep: (event: RecordedEvent) => boolean = () => true): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of lab.labpool.store.readAll()) if (keep(event)) events.push(event);
  return events;
}

const isStateEntry = (event: WireEvent, stream: string, to: string) => event.stream === stream && event.type.endsWith('StateEntered') && (event.data as { to?: string }).to === to;

describe('GET /api/events/ through a running labpool', () => {
  let lab: TestLab;
  before(async () => {
    lab = await startTestLab(createTestInventory(3));
  });
  after(() => lab.labpool.stop());

  it('streams a lease live: request and device events, in log order, without boot streams', async () => {
    const sse = await openSse(`${lab.url}/api/events/?category=device,request`);
    // Live: it starts where the server's projections were when it connected.
    assert.ok(BigInt(sse.startId!) <= lab.labpool.projections.position());
    assert.ok(BigInt(sse.startId!) > 0n);
    const { request } = await post(lab, '/api/device/panda-0001/request/', { assignee: 'tail', duration: 600, image: 'ubuntu' });
    const events = await sse.takeUntil((event) => isStateEntry(event, 'device-panda-0001', 'pxe_booting'));
    sse.close();
    const types = events.map((event) => `${event.stream} ${event.type}`);
    assert.ok(types.includes(`request-${request.id} RequestOpened`), types.join('\n'));
    assert.ok(types.includes('device-panda-0001 DeviceHolderAttached'), types.join('\n'));
    assert.ok(events.every((event) => /^(device|request)-/.test(event.stream)));
    const positions = events.map((event) => BigInt(event.position));
    assert.deepEqual(
      positions,
      [...positions].sort((a, b) => (a < b ? -1 : 1)),
    );
    assert.ok(positions[0]! > BigInt(sse.startId!));
  });

  it('?device= follows that device only, its boots included', async () => {
    const sse = await openSse(`${lab.url}/api/events/?device=panda-0002`);
    await post(lab, '/api/device/panda-0002/request/', { assignee: 'tail', duration: 600, image: 'ubuntu' });
    await post(lab, '/api/device/panda-0003/set-comments/', { comments: 'not this one' });
    await post(lab, '/api/device/panda-0002/set-comments/', { comments: 'the end' });
    const events = await sse.takeUntil((event) => event.type === 'DeviceCommentsSet');
    sse.close();
    const streams = new Set(events.map((event) => event.stream));
    assert.deepEqual([...streams], ['device-panda-0002']);
    // A boot is recorded in the device's own stream.
    assert.ok(
      events.some((event) => event.type === 'BootStarted'),
      events.map((event) => event.type).join(', '),
    );
  });

  it('?request= with from catches up on that request, then goes on live', async () => {
    const before = lab.labpool.projections.position();
    const { request } = await post(lab, '/api/device/any/request/', { assignee: 'tail', duration: 600, image: 'ubuntu' });
    const sse = await openSse(`${lab.url}/api/events/?request=${request.id}&from=${before}`);
    const opened = await sse.takeUntil((event) => isStateEntry(event, `request-${request.id}`, 'pending'));
    await post(lab, `/api/request/${request.id}/return/`);
    const closed = await sse.takeUntil((event) => event.type === 'RequestClosed');
    sse.close();
    assert.equal(opened[0]?.type, 'RequestOpened');
    assert.ok([...opened, ...closed].every((event) => event.stream === `request-${request.id}`));
  });

  it('?type= delivers only those event types', async () => {
    const sse = await openSse(`${lab.url}/api/events/?type=DeviceCommentsSet,DeviceEnvironmentSet`);
    await post(lab, '/api/device/panda-0001/set-comments/', { comments: 'one' });
    await post(lab, '/api/device/panda-0003/set-environment/', { environment: 'two' });
    const events = await sse.take(2);
    sse.close();
    assert.deepEqual(
      events.map((event) => `${event.stream} ${event.type}`),
      ['device-panda-0001 DeviceCommentsSet', 'device-panda-0003 DeviceEnvironmentSet'],
    );
  });

  it('from=0 replays the whole log as the store holds it', async () => {
    const log = await readLog(lab);
    const sse = await openSse(`${lab.url}/api/events/?from=0`);
    const events = await sse.take(log.length);
    sse.close();
    assert.deepEqual(
      events.map((event) => [event.position, event.stream, event.revision, event.type]),
      log.map((event) => [String(event.position), event.stream, event.revision, event.type]),
    );
  });

  it('resumes with Last-Event-ID without gap or duplicate', async () => {
    const log = await readLog(lab, (event) => event.stream.startsWith('device-'));
    const first = await openSse(`${lab.url}/api/events/?category=device&from=0`);
    const head = await first.take(7);
    first.close();
    const second = await openSse(`${lab.url}/api/events/?category=device&from=0`, { 'Last-Event-ID': head.at(-1)!.position });
    const rest = await second.take(log.length - head.length);
    second.close();
    assert.deepEqual(
      [...head, ...rest].map((event) => event.position),
      log.map((event) => String(event.position)),
    );
  });

  it('answers bad parameters with 400 {"error"}', async () => {
    for (const query of ['?from=yesterday', '?request=panda', '?device=', '?follow=1']) {
      const response = await fetch(`${lab.url}/api/events/${query}`);
      assert.equal(response.status, 400, query);
      assert.match(((await response.json()) as { error: string }).error, /parameter/);
    }
  });

  it('keeps handling commands while many tails come and go', async () => {
    const tails = await Promise.all(Array.from({ length: 25 }, () => openSse(`${lab.url}/api/events/`)));
    await post(lab, '/api/device/panda-0003/set-comments/', { comments: 'watched by 25' });
    const received = await Promise.all(tails.map((tail) => tail.take(1)));
    for (const tail of tails) tail.close();
    assert.ok(received.every(([event]) => event?.type === 'DeviceCommentsSet'));
    await post(lab, '/api/device/panda-0003/set-comments/', { comments: 'after they left' });
  });
});
