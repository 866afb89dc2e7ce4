import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RecordedEvent, Upcaster } from '../../src/store/port.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { withUpcasters } from '../../src/store/upcasting-store.js';
import { waitFor } from '../support/wait-for.js';

const RENAMED: Upcaster = { fromType: 'ThingMade', toType: 'ThingBuilt', upcast: (data) => ({ ...(data as object), version: 2 }) };

async function givenOldAndNewEvents() {
  const inner = openSqliteStore({ path: ':memory:' });
  await inner.appendToStream(
    'thing-1',
    [
      { type: 'ThingMade', data: { n: 1 } },
      { type: 'ThingBuilt', data: { n: 2, version: 2 } },
      { type: 'ThingSold', data: {} },
    ],
    'no_stream',
  );
  return { inner, store: withUpcasters(inner, [RENAMED]) };
}

const shape = (events: readonly RecordedEvent[]) => events.map(({ type, data }) => ({ type, data }));
const EXPECTED = [
  { type: 'ThingBuilt', data: { n: 1, version: 2 } },
  { type: 'ThingBuilt', data: { n: 2, version: 2 } },
  { type: 'ThingSold', data: {} },
];

describe('upcasting store', () => {
  it('reads old event types as their new type in streams and the global log', async () => {
    const { store } = await givenOldAndNewEvents();
    assert.deepEqual(shape(await store.readStream('thing-1')), EXPECTED);
    const all: RecordedEvent[] = [];
    for await (const event of store.readAll()) all.push(event);
    assert.deepEqual(shape(all), EXPECTED);
    await store.close();
  });

  it('a filter on the new type also lets the old events it is read from through', async () => {
    const { store } = await givenOldAndNewEvents();
    const built: RecordedEvent[] = [];
    for await (const event of store.readAll(undefined, { eventTypes: ['ThingBuilt'] })) built.push(event);
    assert.deepEqual(shape(built), EXPECTED.slice(0, 2));
    const delivered: RecordedEvent[] = [];
    let caughtUp = false;
    const subscription = store.subscribeToAll(0n, { onEvent: (event) => void delivered.push(event), onCaughtUp: () => (caughtUp = true) }, { eventTypes: ['ThingBuilt'] });
    await waitFor(() => caughtUp);
    await store.appendToStream('thing-2', [{ type: 'ThingMade', data: { n: 3 } }], 'no_stream');
    await waitFor(() => delivered.length === 3);
    assert.deepEqual(shape(delivered), [...EXPECTED.slice(0, 2), { type: 'ThingBuilt', data: { n: 3, version: 2 } }]);
    await subscription.close();
    await store.close();
  });

  it('stores what it is given: appends are not rewritten', async () => {
    const { inner, store } = await givenOldAndNewEvents();
    await store.appendToStream('thing-3', [{ type: 'ThingMade', data: { n: 4 } }], 'no_stream');
    assert.deepEqual(shape(await inner.readStream('thing-3')), [{ type: 'ThingMade', data: { n: 4 } }]);
    await store.close();
  });

  it('keeps the metadata of upcast events, and leaves events an upcaster of their own type does not change as they were', async () => {
    const inner = openSqliteStore({ path: ':memory:' });
    const defaulted: Upcaster = { fromType: 'ThingSold', toType: 'ThingSold', upcast: (data) => (Object.hasOwn(data as object, 'price') ? data : { ...(data as object), price: 0 }) };
    const store = withUpcasters(inner, [RENAMED, defaulted]);
    const metadata = { correlationId: 'c-1', actor: 'test' };
    await inner.appendToStream(
      'thing-1',
      [
        { type: 'ThingMade', data: { n: 1 }, metadata },
        { type: 'ThingSold', data: {}, metadata },
        { type: 'ThingSold', data: { price: 5 }, metadata },
      ],
      'no_stream',
    );
    const events = await store.readStream('thing-1');
    assert.deepEqual(
      events.map(({ type, data, metadata: read }) => ({ type, data, read })),
      [
        { type: 'ThingBuilt', data: { n: 1, version: 2 }, read: metadata },
        { type: 'ThingSold', data: { price: 0 }, read: metadata },
        { type: 'ThingSold', data: { price: 5 }, read: metadata },
      ],
    );
    assert.equal(Object.getPrototypeOf(events[2]), Object.getPrototypeOf((await inner.readStream('thing-1'))[2]), 'an unchanged event is the stored one');
    await store.close();
  });
});
