import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { LOG_START, WrongExpectedRevisionError, type EventStore, type EventToAppend, type LogFilter, type LogPosition, type RecordedEvent } from '../../src/store/port.js';
import { waitFor } from '../support/wait-for.js';

/** How a contract run gets a store: a fresh, empty one per suite, and how to dispose of it. */
export interface StoreFixture {
  readonly store: EventStore;
  dispose(): Promise<void>;
}

function event(type: string, data: EventToAppend['data'] = {}): EventToAppend {
  return { type, data, metadata: { correlationId: 'corr-1', causationId: 'cause-1', actor: 'tester' } };
}

async function collect(iterable: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const recorded of iterable) events.push(recorded);
  return events;
}

/**
 * Subscribes and resolves with what arrived once `count` events were delivered. It rejects when the
 * subscription stalls: no event for `timeoutMs` (a loaded machine slows delivery; it must not stop it).
 */
function subscribeUntil(store: EventStore, from: LogPosition, count: number, filter?: LogFilter, timeoutMs = 10_000) {
  const seen: RecordedEvent[] = [];
  let caughtUpAfter = -1;
  let resolveDone!: () => void;
  let rejectDone!: (error: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  const timer = setTimeout(() => rejectDone(new Error(`only ${seen.length}/${count} events, then none for ${timeoutMs} ms`)), timeoutMs);
  const subscription = store.subscribeToAll(
    from,
    {
      onEvent(recorded) {
        seen.push(recorded);
        timer.refresh();
        if (seen.length === count) resolveDone();
      },
      onCaughtUp() {
        if (caughtUpAfter < 0) caughtUpAfter = seen.length;
      },
      onError: (error) => rejectDone(error),
    },
    filter,
  );
  if (count === 0) resolveDone();
  const finished = done.finally(() => clearTimeout(timer));
  const close = async () => {
    clearTimeout(timer);
    finished.catch(() => undefined);
    await subscription.close();
  };
  return { seen, close, finished, caughtUpAfter: () => caughtUpAfter };
}

function uniqueStream(category: string): string {
  return `${category}-${randomUUID().slice(0, 8)}`;
}

/** The behaviour every event-store adapter must have. */
export function describeEventStoreContract(name: string, createFixture: () => Promise<StoreFixture>): void {
  describe(`event store contract: ${name}`, () => {
    let fixture: StoreFixture;
    let store: EventStore;
    before(async () => {
      fixture = await createFixture();
      store = fixture.store;
    });
    after(async () => fixture.dispose());

    it('round-trips an event with its stream, revision, position, data, metadata and time', async () => {
      const stream = uniqueStream('roundtrip');
      const before = Date.now();
      const result = await store.appendToStream(stream, [event('ThingHappened', { n: 1, nested: { ok: true } })], 'no_stream');
      assert.equal(result.nextRevision, 0);
      const [recorded, ...rest] = await store.readStream(stream);
      assert.equal(rest.length, 0);
      assert.ok(recorded);
      assert.equal(recorded.stream, stream);
      assert.equal(recorded.revision, 0);
      assert.equal(recorded.position, result.position);
      assert.equal(recorded.type, 'ThingHappened');
      assert.deepEqual(recorded.data, { n: 1, nested: { ok: true } });
      assert.equal(recorded.metadata.correlationId, 'corr-1');
      assert.equal(recorded.metadata.causationId, 'cause-1');
      assert.equal(recorded.metadata.actor, 'tester');
      assert.match(recorded.id, /^[0-9a-f-]{36}$/);
      assert.ok(recorded.createdAtMs >= before - 1000 && recorded.createdAtMs <= Date.now() + 1000);
    });

    it('keeps a caller-supplied event id', async () => {
      const stream = uniqueStream('withid');
      const id = randomUUID();
      await store.appendToStream(stream, [{ type: 'Identified', data: null, id }], 'any');
      const [recorded] = await store.readStream(stream);
      assert.equal(recorded?.id, id);
      assert.deepEqual(recorded?.metadata, {});
      assert.equal(recorded?.data, null);
    });

    it('reads a missing stream as empty, and a stream from a revision', async () => {
      assert.deepEqual(await store.readStream(uniqueStream('missing')), []);
      const stream = uniqueStream('partial');
      await store.appendToStream(stream, [event('A'), event('B'), event('C')], 'no_stream');
      const tail = await store.readStream(stream, 1);
      assert.deepEqual(
        tail.map((e) => [e.revision, e.type]),
        [
          [1, 'B'],
          [2, 'C'],
        ],
      );
      assert.deepEqual(await store.readStream(stream, 3), []);
    });

    it('enforces every kind of expected revision with one typed error', async () => {
      const stream = uniqueStream('expect');
      await assert.rejects(store.appendToStream(stream, [event('X')], 'stream_exists'), WrongExpectedRevisionError);
      await assert.rejects(store.appendToStream(stream, [event('X')], 0), WrongExpectedRevisionError);
      assert.equal((await store.appendToStream(stream, [event('First')], 'no_stream')).nextRevision, 0);
      const error = await store.appendToStream(stream, [event('X')], 'no_stream').then(
        () => undefined,
        (caught: unknown) => caught,
      );
      assert.ok(error instanceof WrongExpectedRevisionError);
      assert.equal(error.stream, stream);
      assert.equal(error.expected, 'no_stream');
      await assert.rejects(store.appendToStream(stream, [event('X')], 1), WrongExpectedRevisionError);
      assert.equal((await store.appendToStream(stream, [event('Second')], 0)).nextRevision, 1);
      assert.equal((await store.appendToStream(stream, [event('Third')], 'stream_exists')).nextRevision, 2);
      assert.equal((await store.appendToStream(stream, [event('Fourth')], 'any')).nextRevision, 3);
      assert.deepEqual(
        (await store.readStream(stream)).map((e) => e.type),
        ['First', 'Second', 'Third', 'Fourth'],
      );
    });

    it('lets exactly one of many racing appenders with the same expected revision win', async () => {
      const stream = uniqueStream('race');
      await store.appendToStream(stream, [event('Opened')], 'no_stream');
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => store.appendToStream(stream, [event('Raced', { i }), event('Raced2', { i })], 0)));
      const winners = outcomes.filter((o) => o.status === 'fulfilled');
      const losers = outcomes.filter((o) => o.status === 'rejected');
      assert.equal(winners.length, 1);
      for (const loser of losers) assert.ok(loser.reason instanceof WrongExpectedRevisionError);
      const events = await store.readStream(stream);
      assert.equal(events.length, 3);
      assert.equal((events[1]?.data as { i: number }).i, (events[2]?.data as { i: number }).i);
    });

    it('appends the events of one call atomically, or none of them', async () => {
      const stream = uniqueStream('atomic');
      const result = await store.appendToStream(stream, [event('A'), event('B'), event('C')], 'no_stream');
      assert.equal(result.nextRevision, 2);
      await assert.rejects(store.appendToStream(stream, [event('D'), event('E')], 1), WrongExpectedRevisionError);
      const events = await store.readStream(stream);
      assert.deepEqual(
        events.map((e) => e.revision),
        [0, 1, 2],
      );
      assert.ok(events[0]!.position < events[1]!.position && events[1]!.position < events[2]!.position);
      assert.equal(events[2]!.position, result.position);
    });

    it('keeps one global order across streams, readable from any position and by filter', async () => {
      const run = randomUUID().slice(0, 8);
      const first = await store.appendToStream(`ordera-${run}`, [event('One')], 'no_stream');
      await store.appendToStream(`orderb-${run}`, [event('Two'), event('Three')], 'no_stream');
      await store.appendToStream(`ordera-${run}`, [event('Four')], 0);
      const mine = (events: RecordedEvent[]) => events.filter((e) => e.stream.endsWith(run));
      const all = mine(await collect(store.readAll()));
      assert.deepEqual(
        all.map((e) => e.type),
        ['One', 'Two', 'Three', 'Four'],
      );
      for (let i = 1; i < all.length; i++) assert.ok(all[i - 1]!.position < all[i]!.position);
      const afterFirst = mine(await collect(store.readAll(first.position)));
      assert.deepEqual(
        afterFirst.map((e) => e.type),
        ['Two', 'Three', 'Four'],
      );
      const byPrefix = mine(await collect(store.readAll(LOG_START, { streamPrefixes: ['orderb-'] })));
      assert.deepEqual(
        byPrefix.map((e) => e.type),
        ['Two', 'Three'],
      );
      const byType = mine(await collect(store.readAll(LOG_START, { eventTypes: ['Four', 'One'] })));
      assert.deepEqual(
        byType.map((e) => e.type),
        ['One', 'Four'],
      );
      const both = mine(await collect(store.readAll(LOG_START, { streamPrefixes: ['ordera-'], eventTypes: ['Two', 'Four'] })));
      assert.deepEqual(
        both.map((e) => e.type),
        ['Four'],
      );
    });

    it('subscribes from a position through catch-up into live, and resumes after a close with no gap or duplicate', async () => {
      const stream = uniqueStream('subs');
      const filter = { streamPrefixes: [stream] };
      const start = await store.appendToStream(stream, [event('Before')], 'no_stream');
      await store.appendToStream(stream, [event('Old1'), event('Old2')], 0);
      const first = subscribeUntil(store, start.position, 4, filter);
      await waitFor(() => first.caughtUpAfter() >= 0);
      assert.equal(first.caughtUpAfter(), 2);
      await store.appendToStream(stream, [event('Live1')], 2);
      await store.appendToStream(stream, [event('Live2')], 3);
      await first.finished;
      await first.close();
      assert.deepEqual(
        first.seen.map((e) => e.type),
        ['Old1', 'Old2', 'Live1', 'Live2'],
      );
      await store.appendToStream(stream, [event('WhileClosed1'), event('WhileClosed2')], 4);
      const resumeFrom = first.seen.at(-1)!.position;
      const second = subscribeUntil(store, resumeFrom, 3, filter);
      await waitFor(() => second.caughtUpAfter() >= 0);
      await store.appendToStream(stream, [event('Live3')], 6);
      await second.finished;
      await second.close();
      assert.deepEqual(
        second.seen.map((e) => e.type),
        ['WhileClosed1', 'WhileClosed2', 'Live3'],
      );
      assert.deepEqual(
        [...first.seen, ...second.seen].map((e) => e.revision),
        [1, 2, 3, 4, 5, 6, 7],
      );
    });

    it('delivers nothing after close', async () => {
      const stream = uniqueStream('closed');
      const sub = subscribeUntil(store, LOG_START, 1, { streamPrefixes: [stream] });
      await waitFor(() => sub.caughtUpAfter() >= 0);
      await sub.close();
      await store.appendToStream(stream, [event('Unseen')], 'no_stream');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(sub.seen.length, 0);
    });

    it('filters a subscription by event type', async () => {
      const stream = uniqueStream('subtype');
      const sub = subscribeUntil(store, LOG_START, 2, { streamPrefixes: [stream], eventTypes: ['Kept'] });
      await store.appendToStream(stream, [event('Kept'), event('Dropped'), event('Kept')], 'no_stream');
      await sub.finished;
      await sub.close();
      assert.deepEqual(
        sub.seen.map((e) => e.revision),
        [0, 2],
      );
    });

    it('stores large and unicode payloads unchanged', async () => {
      const stream = uniqueStream('payload');
      const big = 'x'.repeat(1_000_000);
      const unicode = { text: 'labpool ✓ 装置 🚀 Ünïcödé \u0000 nul \u2028 sep', key: 'é' };
      await store.appendToStream(stream, [event('Big', { big }), { type: 'Ünicode✓', data: unicode, metadata: { actor: 'ユーザー' } }], 'no_stream');
      const [bigEvent, unicodeEvent] = await store.readStream(stream);
      assert.equal((bigEvent?.data as { big: string }).big.length, 1_000_000);
      assert.deepEqual(unicodeEvent?.data, unicode);
      assert.equal(unicodeEvent?.type, 'Ünicode✓');
      assert.equal(unicodeEvent?.metadata.actor, 'ユーザー');
    });

    it('stores snapshots apart from the global log', async () => {
      const stream = uniqueStream('snap');
      assert.equal(await store.readSnapshot(stream), undefined);
      await store.appendToStream(stream, [event('A')], 'no_stream');
      await store.writeSnapshot(stream, { revision: 0, state: { count: 1 } });
      await store.writeSnapshot(stream, { revision: 5, state: { count: 6, name: '✓' } });
      assert.deepEqual(await store.readSnapshot(stream), { revision: 5, state: { count: 6, name: '✓' } });
      const inLog = (await collect(store.readAll())).filter((e) => e.stream.includes(stream));
      assert.deepEqual(
        inLog.map((e) => e.stream),
        [stream],
      );
    });

    it('handles 10,000 events: appended concurrently, read back and delivered by a subscription in order', async () => {
      const run = randomUUID().slice(0, 8);
      const filter = { streamPrefixes: [`bulk${run}-`] };
      const sub = subscribeUntil(store, LOG_START, 10_000, filter, 60_000);
      const streams = Array.from({ length: 100 }, (_, i) => `bulk${run}-${i}`);
      await Promise.all(
        streams.map(async (stream) => {
          await store.appendToStream(
            stream,
            Array.from({ length: 50 }, (_, n) => event('Bulk', { n })),
            'no_stream',
          );
          for (let n = 50; n < 100; n++) await store.appendToStream(stream, [event('Bulk', { n })], n - 1);
        }),
      );
      const read = await collect(store.readAll(LOG_START, filter));
      assert.equal(read.length, 10_000);
      for (let i = 1; i < read.length; i++) assert.ok(read[i - 1]!.position < read[i]!.position);
      await sub.finished;
      await sub.close();
      assert.deepEqual(
        sub.seen.map((e) => e.position),
        read.map((e) => e.position),
      );
      const perStream = new Map<string, number>();
      for (const recorded of read) {
        const expected = perStream.get(recorded.stream) ?? 0;
        assert.equal(recorded.revision, expected);
        assert.equal((recorded.data as { n: number }).n, expected);
        perStream.set(recorded.stream, expected + 1);
      }
    });
  });
}
