import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, commissaireHttpStatus, commissaireTime, distinct, sameSet } from '../../../../src/dialects/commissaire/domain/commissaire-rules.js';

describe('commissaire rules', () => {
  it('maps each rejection code to its HTTP status, and anything else to 500', () => {
    assert.deepEqual(['invalid', 'not_found', 'not_allowed', 'conflict', 'bad_state', 'toString'].map(commissaireHttpStatus), [400, 404, 405, 409, 500, 500]);
  });

  it('writes times as naive UTC ISO with microseconds', () => {
    assert.equal(commissaireTime(Date.UTC(2015, 11, 17, 15, 48, 18, 710)), '2015-12-17T15:48:18.710000');
  });

  it('writes JSON with sorted keys at every depth', () => {
    assert.equal(canonicalJson({ b: [{ d: 1, c: null }], a: 'x' }), '{"a":"x","b":[{"c":null,"d":1}]}');
  });

  it('compares sets and drops repeats in order', () => {
    assert.equal(sameSet(['a', 'b', 'a'], ['b', 'a']), true);
    assert.equal(sameSet(['a'], ['a', 'b']), false);
    assert.deepEqual(distinct(['b', 'a', 'b']), ['b', 'a']);
  });
});
