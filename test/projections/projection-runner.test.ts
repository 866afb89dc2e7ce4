import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createProjectionRunner, type Projection } from '../../src/projections/projection-runner.js';
import type { EventStore, RecordedEvent } from '../../src/store/port.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';

/** A tiny read model: event count per stream of category `thing`. */
function createCountsProjection(): Projection & { counts: Map<string, number> } {
  const counts = new Map<string, number>();
  return {
    name: 'counts',
    filter: { streamPrefixes: ['thing-'] },
    counts,
    apply(event: RecordedEvent) {
      if (event.type === 'Poison') throw new Error('cannot fold poison');
      counts.set(event.stream, (counts.get(event.stream) ?? 0) + 1);
    },
  };
}

describe('projection runner', () => {
  let store: EventStore;
  before(() => {
    store = openSqliteStore({ path: ':memory:' });
  });
  after(() => store.close());

  it('catches up on the existing log, then answers read-your-writes for new appends', async () => {
    await store.appendToStream(
      'thing-1',
      [
        { type: 'A', data: {} },
        { type: 'B', data: {} },
      ],
      'no_stream',
    );
    await store.appendToStream('other-1', [{ type: 'A', data: {} }], 'no_stream');
    const projection = createCountsProjection();
    const errors: string[] = [];
    const runner = createProjectionRunner(store, [projection], (_error, context) => errors.push(context));
    await runner.start();
    assert.deepEqual([...projection.counts], [['thing-1', 2]]);
    const { position } = await store.appendToStream(
      'thing-2',
      [
        { type: 'Poison', data: {} },
        { type: 'A', data: {} },
      ],
      'no_stream',
    );
    await runner.waitFor(position);
    assert.equal(runner.position(), position);
    assert.deepEqual(
      [...projection.counts],
      [
        ['thing-1', 2],
        ['thing-2', 1],
      ],
    );
    assert.deepEqual(errors, ['counts at thing-2@0']);
    const unrelated = await store.appendToStream('other-2', [{ type: 'A', data: {} }], 'no_stream');
    await runner.waitFor(unrelated.position);
    await assert.rejects(runner.waitFor(unrelated.position + 1000n, 50), /did not reach position/);
    await runner.stop();
  });

  it('releases each read-your-writes waiter once its position is applied, whatever order they came in', async () => {
    const runner = createProjectionRunner(store, [createCountsProjection()]);
    await runner.start();
    const start = runner.position();
    const released: number[] = [];
    const waiting = [3n, 1n, 2n, 3n].map((ahead, i) => runner.waitFor(start + ahead).then(() => released.push(i)));
    await store.appendToStream('thing-w', [{ type: 'A', data: {} }], 'no_stream');
    await runner.waitFor(start + 1n);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(released, [1]);
    await store.appendToStream(
      'thing-w',
      [
        { type: 'A', data: {} },
        { type: 'A', data: {} },
      ],
      0,
    );
    await Promise.all(waiting);
    assert.deepEqual(released.sort(), [0, 1, 2, 3]);
    await runner.stop();
  });
});
