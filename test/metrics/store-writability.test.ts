import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { createStoreWritability, nextWritability, WRITABLE, type Writability, type WritabilityChange } from '../../src/metrics/store-writability.js';
import { StoreUnavailableError } from '../../src/store/port.js';
import { sampleValue } from '../support/prometheus-text.js';

/** Folds writes (undefined: stored) at 1 s apart from t=0; returns the state and the changes met. */
function given(writes: readonly unknown[]): { state: Writability; changes: WritabilityChange[] } {
  let state = WRITABLE;
  const changes: WritabilityChange[] = [];
  writes.forEach((error, i) => {
    const next = nextWritability(state, error, i * 1_000);
    state = next.state;
    if (next.change) changes.push(next.change);
  });
  return { state, changes };
}

const full = new StoreUnavailableError('full');

describe('store writability episodes', () => {
  it('starts an episode at the first refusal and counts the rest of it without a change', () => {
    const { state, changes } = given([undefined, full, full, new Error('wrapped', { cause: full })]);
    assert.deepEqual(state, { writable: false, reason: 'full', sinceMs: 1_000, refusedWrites: 3 });
    assert.deepEqual(changes, [{ kind: 'refusing', error: full }]);
  });

  it('ends the episode at the next write stored, with its count and duration', () => {
    const { state, changes } = given([full, full, undefined, undefined]);
    assert.deepEqual(state, WRITABLE);
    assert.deepEqual(changes.at(-1), { kind: 'writable_again', reason: 'full', refusedWrites: 2, durationMs: 2_000 });
  });

  it('ignores errors that are not store faults', () => {
    assert.deepEqual(given([new Error('a decider bug'), undefined]), { state: WRITABLE, changes: [] });
  });

  it('exposes labpool_store_writable and labpool_store_refused_writes_total by reason', async () => {
    const registry = new Registry();
    const changes: WritabilityChange[] = [];
    const observe = createStoreWritability(
      registry,
      (change) => changes.push(change),
      () => 0,
    );
    assert.equal(sampleValue(await registry.metrics(), 'labpool_store_writable'), 1);
    observe(new StoreUnavailableError('locked'));
    observe(new StoreUnavailableError('full'));
    const text = await registry.metrics();
    assert.equal(sampleValue(text, 'labpool_store_writable'), 0);
    assert.equal(sampleValue(text, 'labpool_store_refused_writes_total', { reason: 'locked' }), 1);
    assert.equal(sampleValue(text, 'labpool_store_refused_writes_total', { reason: 'full' }), 1);
    observe(undefined);
    assert.equal(sampleValue(await registry.metrics(), 'labpool_store_writable'), 1);
    assert.deepEqual(
      changes.map((change) => change.kind),
      ['refusing', 'writable_again'],
    );
  });
});
