import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { counterDecider } from '../../support/counter-decider.js';
import { givenDecider } from '../../support/given-when-then.js';

/** The helper itself, on the generic counter decider: it must pass what holds and fail what does not. */
describe('givenDecider', () => {
  const incremented = (by: number) => ({ type: 'Incremented', data: { by, nonce: null } }) as const;

  it('folds the given events and decides the command on the result', () => {
    givenDecider(counterDecider)
      .given(incremented(2), incremented(3))
      .when({ type: 'Increment', by: 4 })
      .thenEvents([incremented(4)])
      .thenEventTypes('Incremented')
      .thenState((state) => state.count === 9);
  });

  it('chains commands, each against the state the previous left', () => {
    givenDecider(counterDecider)
      .when({ type: 'Increment', by: 1 })
      .when({ type: 'Increment', by: -1 })
      .thenRejected('bad_increment', /positive/)
      .thenState((state) => assert.equal(state.count, 1));
  });

  it('fails loudly when the outcome is not the expected one', () => {
    const accepted = givenDecider(counterDecider).when({ type: 'Increment', by: 1 });
    assert.throws(() => accepted.thenRejected('bad_increment'), /expected rejection bad_increment, but got events/);
    assert.throws(() => accepted.thenNothing(), assert.AssertionError);
    assert.throws(() => accepted.thenState((state) => state.count === 2, 'count is 2'), /state check failed \(count is 2\)/);
    const rejected = givenDecider(counterDecider).when({ type: 'Increment', by: 0 });
    assert.throws(() => rejected.thenEvents([]), /expected events, but the command was rejected: bad_increment/);
    assert.throws(() => rejected.thenRejected('other'), assert.AssertionError);
  });
});
