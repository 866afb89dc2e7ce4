import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lazyStore } from '../../src/store/lazy-store.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { RecordedEvent } from '../../src/store/port.js';
import { waitFor } from '../support/wait-for.js';

describe('lazyStore', () => {
  it('loads its adapter on first use, once, and forwards every method to it', async () => {
    let loads = 0;
    const inner = openSqliteStore({ path: ':memory:' });
    const store = lazyStore(async () => (loads++, inner));
    assert.equal(loads, 0);
    const seen: RecordedEvent[] = [];
    const subscription = store.subscribeToAll(0n, { onEvent: (event) => void seen.push(event) });
    await store.appendToStream('thing-1', [{ type: 'Made', data: { n: 1 } }], 'no_stream');
    await store.writeSnapshot('thing-1', { revision: 0, state: { n: 1 } });
    assert.deepEqual(
      (await store.readStream('thing-1')).map((event) => event.type),
      ['Made'],
    );
    assert.deepEqual(await store.readSnapshot('thing-1'), { revision: 0, state: { n: 1 } });
    const all: string[] = [];
    for await (const event of store.readAll()) all.push(event.stream);
    assert.deepEqual(all, ['thing-1']);
    await waitFor(() => seen.length === 1);
    await subscription.close();
    assert.equal(loads, 1);
    await store.close();
  });

  it('fails each call, and a subscription through onError, when the adapter does not load', async () => {
    const store = lazyStore(() => Promise.reject(new Error('no client')));
    await assert.rejects(store.readStream('x'), /no client/);
    let failure: Error | undefined;
    const subscription = store.subscribeToAll(0n, { onEvent: () => undefined, onError: (error) => (failure = error) });
    await waitFor(() => failure !== undefined);
    assert.match(failure!.message, /no client/);
    await subscription.close();
  });

  it('closes without loading what was never used', async () => {
    let loads = 0;
    await lazyStore(async () => (loads++, openSqliteStore({ path: ':memory:' }))).close();
    assert.equal(loads, 0);
  });
});
