import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { getStream } from '../../../src/cli/http-stream.js';
import { createApp } from '../../../src/http/app.js';
import { registerEventRoutes } from '../../../src/http/events/event-routes.js';
import { listen, type ListeningServer } from '../../../src/http/server.js';
import { openSqliteStore } from '../../../src/store/sqlite-store.js';
import type { EventStore, Json, RecordedEvent } from '../../../src/store/port.js';
import { openSse } from '../../support/sse-client.js';
import { waitFor } from '../../support/wait-for.js';

/** Counts open subscriptions and deliveries, to see that clients leave nothing behind. */
function createCountingStore(inner: EventStore) {
  const counts = { open: 0, delivered: 0 };
  const store: EventStore = {
    ...inner,
    subscribeToAll(from, handler, filter) {
      counts.open += 1;
      const onEvent = (event: RecordedEvent) => ((counts.delivered += 1), handler.onEvent(event));
      const subscription = inner.subscribeToAll(from, { ...handler, onEvent }, filter);
      return { close: () => subscription.close().finally(() => (counts.open -= 1)) };
    },
  };
  return { store, counts };
}

const SEED_STREAMS = ['device-panda-1', 'device-panda-10', 'boot-panda-1.1', 'boot-panda-10.1', 'boot-panda-1.x', 'request-7', 'request-70', 'image-android'];

describe('GET /api/events/ (SSE) on a store', () => {
  const inner = openSqliteStore({ path: ':memory:' });
  const { store, counts } = createCountingStore(inner);
  let server: ListeningServer;
  const eventsUrl = (query = '') => `${server.url}/api/events/${query}`;

  async function append(stream: string, type = 'Seeded', data: Json = { stream }): Promise<RecordedEvent> {
    const { position } = await inner.appendToStream(stream, [{ type, data, metadata: { actor: 'test' } }], 'any');
    const events = await inner.readStream(stream);
    return events.find((event) => event.position === position)!;
  }

  before(async () => {
    for (const stream of SEED_STREAMS) await append(stream);
    const app = createApp(
      { version: 'test', serverId: '127.0.0.1:0', store },
      { routes: [(router, deps) => registerEventRoutes(router, { store: deps.store!, sse: { heartbeatMs: 100, stallMs: 300 }, maxTailsPerClient: 100 })] },
    );
    server = await listen(app, '127.0.0.1', 0);
  });
  after(async () => {
    await server.close();
    await inner.close();
  });

  it('from=0 sends the whole log in order: id = position, event = type, data = the event', async () => {
    const all: RecordedEvent[] = [];
    for await (const event of inner.readAll()) all.push(event);
    const sse = await openSse(eventsUrl('?from=0'));
    assert.equal(sse.status, 200);
    assert.match(sse.contentType ?? '', /^text\/event-stream/);
    assert.equal(sse.startId, '0');
    const messages = await sse.takeMessages(all.length);
    sse.close();
    messages.forEach((message, i) => {
      const event = all[i]!;
      assert.equal(message.id, String(event.position));
      assert.equal(message.event, event.type);
      assert.deepEqual(JSON.parse(message.data), {
        position: String(event.position),
        stream: event.stream,
        revision: event.revision,
        type: event.type,
        data: event.data,
        metadata: { actor: 'test' },
        time: new Date(event.createdAtMs).toISOString(),
      });
    });
  });

  it('without from starts live at the end of the log', async () => {
    const last = await append('device-panda-2', 'BeforeTheTail');
    const sse = await openSse(eventsUrl());
    assert.equal(sse.startId, String(last.position));
    const next = await append('device-panda-2', 'AfterTheTail');
    const [received] = await sse.take(1);
    sse.close();
    assert.deepEqual([received?.type, received?.position], ['AfterTheTail', String(next.position)]);
  });

  const filterCases: readonly { query: string; marker: string; streams: string[] }[] = [
    { query: 'device=panda-1', marker: 'device-panda-1', streams: ['device-panda-1', 'boot-panda-1.1'] },
    { query: 'device=panda-1&category=boot', marker: 'boot-panda-1.1', streams: ['boot-panda-1.1'] },
    { query: 'request=7', marker: 'request-7', streams: ['request-7'] },
    { query: 'device=panda-10&request=70', marker: 'request-70', streams: ['device-panda-10', 'boot-panda-10.1', 'request-70'] },
    { query: 'category=image,request', marker: 'image-android', streams: ['request-7', 'request-70', 'image-android'] },
    { query: 'category=device&category=boot&type=Seeded', marker: 'device-panda-1', streams: ['device-panda-1', 'device-panda-10', 'boot-panda-1.1', 'boot-panda-10.1', 'boot-panda-1.x'] },
  ];
  for (const { query, marker, streams } of filterCases) {
    it(`?${query} delivers only ${streams.join(', ')}`, async () => {
      const sse = await openSse(eventsUrl(`?${query}`));
      for (const stream of SEED_STREAMS) await append(stream);
      await append(marker, 'Seeded', { marker: true });
      const received = await sse.takeUntil((event) => (event.data as { marker?: boolean }).marker === true);
      sse.close();
      assert.deepEqual(
        received.map((event) => event.stream),
        [...streams, marker],
      );
    });
  }

  it('resumes after Last-Event-ID (exclusive), which wins over from: no gap, no duplicate', async () => {
    const all: string[] = [];
    for await (const event of inner.readAll()) all.push(String(event.position));
    const first = await openSse(eventsUrl('?from=0'));
    const head = await first.take(4);
    first.close();
    const resumed = await openSse(eventsUrl('?from=0'), { 'Last-Event-ID': head.at(-1)!.position });
    const tail = await resumed.take(all.length - 4);
    resumed.close();
    assert.deepEqual(
      [...head, ...tail].map((event) => event.position),
      all,
    );
  });

  it("refuses bad parameters with 400 in MozPool's error shape", async () => {
    const bad: [string, Record<string, string>?][] = [
      ['?from=abc'],
      ['?from=-1'],
      ['?from='],
      ['?from=1&from=2'],
      ['?request=x'],
      ['?type=Bad-Type'],
      ['?category='],
      ['?colour=red'],
      ['', { 'Last-Event-ID': 'later' }],
    ];
    for (const [query, headers] of bad) {
      const response = await fetch(eventsUrl(query), { headers });
      assert.equal(response.status, 400, query);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      const body = (await response.json()) as { error: string };
      assert.equal(typeof body.error, 'string', query);
    }
  });

  it('sends a heartbeat comment while the log is quiet', async () => {
    const response = await getStream(new URL(eventsUrl()), {});
    let text = '';
    for await (const chunk of response.body) {
      text += String(chunk);
      if (text.includes(': heartbeat\n\n')) break;
    }
    response.close();
    assert.match(text, /^retry: \d+\nid: \d+\n\n/);
  });

  it('closes the store subscription when a client disconnects', async () => {
    await waitFor(() => counts.open === 0, 2_000);
    const clients = await Promise.all(Array.from({ length: 20 }, () => openSse(eventsUrl('?category=device'))));
    assert.equal(counts.open, 20);
    for (const client of clients) client.close();
    await waitFor(() => counts.open === 0, 5_000);
  });

  it('pauses for a client that stops reading, then drops it; the others go on', async () => {
    await waitFor(() => counts.open === 0, 2_000);
    const socket = connect(server.port, '127.0.0.1');
    // The server cuts this socket when it drops the client.
    socket.on('error', () => undefined);
    socket.write(`GET /api/events/?category=bulk HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    await waitFor(() => counts.open === 1, 2_000);
    socket.pause();
    const deliveredBefore = counts.delivered;
    const payload = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 600; i += 1) await inner.appendToStream('bulk-1', [{ type: 'Bulk', data: { payload } }], 'any');
    await waitFor(() => counts.open === 0, 10_000);
    assert.ok(counts.delivered - deliveredBefore < 600, `paused: ${counts.delivered - deliveredBefore} of 600 delivered`);
    socket.destroy();
    const sse = await openSse(eventsUrl('?category=bulk'));
    await inner.appendToStream('bulk-1', [{ type: 'Small', data: {} }], 'any');
    assert.equal((await sse.take(1))[0]?.type, 'Small');
    sse.close();
  });
});

describe('GET /api/events/: tails per client address', () => {
  const store = openSqliteStore({ path: ':memory:' });
  let server: ListeningServer;

  before(async () => {
    const app = createApp({ version: 'test', serverId: '127.0.0.1:0', store }, { routes: [(router, deps) => registerEventRoutes(router, { store: deps.store!, maxTailsPerClient: 3 })] });
    server = await listen(app, '127.0.0.1', 0);
  });
  after(async () => {
    await server.close();
    await store.close();
  });

  it('refuses one tail more than the cap with 429 and Retry-After, and takes it once one closes', async () => {
    const tails = await Promise.all(Array.from({ length: 3 }, () => openSse(`${server.url}/api/events/`)));
    assert.deepEqual(
      tails.map((tail) => tail.status),
      [200, 200, 200],
    );
    const refused = await fetch(`${server.url}/api/events/`);
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '2');
    // Under /api/ errors take MozPool's shape.
    assert.deepEqual(await refused.json(), { error: '127.0.0.1 has 3 event tails open, the most one client may: close one first' });
    // A bad query is answered 400 before any tail is counted.
    assert.equal((await fetch(`${server.url}/api/events/?from=bad`)).status, 400);
    tails[0]!.close();
    let next: Awaited<ReturnType<typeof openSse>> | undefined;
    await waitFor(async () => {
      const attempt = await openSse(`${server.url}/api/events/`);
      if (attempt.status === 200) next = attempt;
      else attempt.close();
      return next !== undefined;
    });
    const again = await fetch(`${server.url}/api/events/`);
    assert.equal(again.status, 429);
    await again.body?.cancel();
    for (const tail of [...tails.slice(1), next!]) tail.close();
  });
});
