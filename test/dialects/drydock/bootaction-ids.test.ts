import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeTime, isValid, ulid } from 'ulid';
import { pooledRandom } from '../../../src/dialects/drydock/bootactions/bootaction-service.js';

describe('pooledRandom (bootaction ids)', () => {
  it('gives fractions in [0, 1) past several refills of its pool', () => {
    const random = pooledRandom(16);
    const draws = Array.from({ length: 100 }, () => random());
    assert.ok(draws.every((value) => value >= 0 && value < 1));
    assert.ok(new Set(draws).size > 50, 'refilled pools repeat no fixed sequence');
  });

  it('makes valid ULIDs of the given time, each of the 32 characters in their random part', () => {
    const random = pooledRandom();
    const nowMs = Date.UTC(2026, 11, 5, 13, 0, 0);
    const ids = Array.from({ length: 1000 }, () => ulid(nowMs, random));
    assert.ok(ids.every((id) => isValid(id) && decodeTime(id) === nowMs));
    assert.equal(new Set(ids).size, ids.length);
    // 16,000 draws: a character missing would mean a biased draw, not chance.
    const characters = new Set(ids.flatMap((id) => [...id.slice(10)]));
    assert.equal(characters.size, 32);
  });
});
