import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../../src/http/app.js';
import { listen, type ListeningServer } from '../../../src/http/server.js';
import { openSqliteStore } from '../../../src/store/sqlite-store.js';
import type { EventStore, Json } from '../../../src/store/port.js';
import { deviceLife, requestLife } from '../../projections/audit/audit-events.js';

async function getJson(server: ListeningServer, path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}${path}`);
  return { status: response.status, body: await response.json() };
}

describe('GET /api/{device,request}/{id}/history/', () => {
  let store: EventStore;
  let server: ListeningServer;
  before(async () => {
    store = openSqliteStore({ path: ':memory:' });
    const metadata = { correlationId: 'corr-1', causationId: 'cmd-1', actor: 'operator', server: 'lab1:8010' };
    const asAppended = (events: readonly { type: string; data: unknown }[]) => events.map((event) => ({ type: event.type, data: event.data as Json, metadata }));
    await store.appendToStream('device-panda-0001', asAppended(deviceLife()), 'no_stream');
    await store.appendToStream('request-7', asAppended(requestLife()), 'no_stream');
    server = await listen(createApp({ version: 'test', serverId: 'lab1:8010', store }), '127.0.0.1', 0);
  });
  after(async () => {
    await server.close();
    await store.close();
  });

  it("lists a device's events with time, cause, actor and server", async () => {
    const { status, body } = await getJson(server, '/api/device/panda-0001/history/');
    assert.equal(status, 200);
    assert.deepEqual(
      body.history.map((entry: { type: string }) => entry.type),
      ['DeviceRegistered', 'DeviceStateEntered', 'DeviceStateEntered', 'DeviceHolderAttached'],
    );
    const [first] = body.history;
    assert.equal(first.time, '2024-06-01T12:00:00.000Z');
    assert.equal(first.revision, 0);
    assert.match(first.position, /^[0-9]+$/);
    assert.deepEqual([first.cause, first.actor, first.server], [{ correlationId: 'corr-1', causationId: 'cmd-1' }, 'operator', 'lab1:8010']);
  });

  it('filters by from and to, with or without the trailing slash', async () => {
    const { body } = await getJson(server, '/api/device/panda-0001/history?from=2024-06-01T12:01:00Z&to=2024-06-01T12:02:00Z');
    assert.deepEqual(
      body.history.map((entry: { revision: number }) => entry.revision),
      [1, 2],
    );
    const offset = await getJson(server, `/api/device/panda-0001/history/?from=${encodeURIComponent('2024-06-01T14:02:30+02:00')}`);
    assert.deepEqual(
      offset.body.history.map((entry: { revision: number }) => entry.revision),
      [3],
    );
  });

  it('replays the device state at an instant', async () => {
    const { status, body } = await getJson(server, '/api/device/panda-0001/history/?at=2024-06-01T12:02:30Z');
    assert.equal(status, 200);
    assert.equal(body.at, '2024-06-01T12:02:30.000Z');
    assert.equal(body.mozpool_state, 'ready');
    assert.equal(body.state.state, 'ready');
    assert.equal(body.state.name, 'panda-0001');
    assert.equal(body.state.holder, null);
    assert.equal(body.revision, 2);
  });

  it('replays a request, its id read as an integer', async () => {
    const { body } = await getJson(server, '/api/request/007/history/?at=2024-06-01T12:01:00Z');
    assert.deepEqual([body.mozpool_state, body.state.id, body.state.assignee], ['pending', 7, 'me']);
    const history = await getJson(server, '/api/request/7/history/');
    assert.equal(history.body.history.length, 3);
  });

  it('answers null state before the stream began', async () => {
    const { body } = await getJson(server, '/api/request/7/history/?at=2020-01-01T00:00:00Z');
    assert.deepEqual(body, { at: '2020-01-01T00:00:00.000Z', revision: null, state: null, mozpool_state: null });
  });

  it("400s bad times and ids, 404s unknown ones, in MozPool's error shape", async () => {
    const cases: [string, number, RegExp][] = [
      ['/api/device/panda-0001/history/?at=noon', 400, /at must be an ISO 8601 time/],
      ['/api/device/panda-0001/history/?from=2024-13-01', 400, /from must be/],
      ['/api/device/panda-0001/history/?from=2024-06-02&to=2024-06-01', 400, /is after to/],
      ['/api/request/seven/history/', 400, /request id must be an integer/],
      ['/api/device/panda-9999/history/', 404, /device panda-9999 not found/],
      ['/api/request/8/history/?at=2024-06-01T12:00:00Z', 404, /request 8 not found/],
    ];
    for (const [path, status, message] of cases) {
      const reply = await getJson(server, path);
      assert.equal(reply.status, status, path);
      assert.match(reply.body.error, message, path);
    }
  });
});
