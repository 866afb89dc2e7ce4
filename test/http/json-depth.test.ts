import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNestedDeeperThan } from '../../src/http/json-depth.js';

describe('isNestedDeeperThan', () => {
  it('counts levels of objects and arrays, scalars included', () => {
    assert.equal(isNestedDeeperThan(1, 0), false);
    assert.equal(isNestedDeeperThan({ a: 1 }, 1), false);
    assert.equal(isNestedDeeperThan({ a: 1 }, 0), true);
    assert.equal(isNestedDeeperThan([[[]]], 2), false);
    assert.equal(isNestedDeeperThan({ a: [{ b: 'c' }] }, 2), true);
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    assert.equal(isNestedDeeperThan(deep, 64), true);
  });
});
