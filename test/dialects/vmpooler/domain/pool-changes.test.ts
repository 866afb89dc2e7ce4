import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_POOL_SIZE, checkPoolResets, checkPoolSizes, checkPoolTemplates } from '../../../../src/dialects/vmpooler/domain/pool-changes.js';

const isPool = (name: string) => name === 'a' || name === 'b';
const isImage = (name: string) => name === 'ubuntu';

describe('pool changes (experimental /config routes)', () => {
  it('takes sizes as integers or digit strings for configured pools', () => {
    assert.deepEqual(checkPoolSizes({ a: '2', b: 0 }, isPool), {
      ok: true,
      changes: [
        ['a', 2],
        ['b', 0],
      ],
    });
  });

  it('names every pool that is unknown or has a bad size, and changes none', () => {
    assert.deepEqual(checkPoolSizes({ a: '2', c: '1', b: '-1' }, isPool), { ok: false, invalid: ['c', 'b'] });
    assert.deepEqual(checkPoolSizes({ a: 1.5 }, isPool), { ok: false, invalid: ['a'] });
    assert.deepEqual(checkPoolSizes({ a: MAX_POOL_SIZE + 1 }, isPool), { ok: false, invalid: ['a'] });
  });

  it('refuses a body that is no object, or names no pool, with no pool named', () => {
    for (const body of [null, [], 'a', {}, 3]) assert.deepEqual(checkPoolSizes(body, isPool), { ok: false, invalid: [] }, JSON.stringify(body));
  });

  it('takes templates that are labpool images', () => {
    assert.deepEqual(checkPoolTemplates({ a: 'ubuntu' }, isPool, isImage), { ok: true, changes: [['a', 'ubuntu']] });
    assert.deepEqual(checkPoolTemplates({ a: 'templates/centos', b: 3, c: 'ubuntu' }, isPool, isImage), { ok: false, invalid: ['a', 'b', 'c'] });
  });

  it('resets configured pools whatever the value', () => {
    assert.deepEqual(checkPoolResets({ a: '1', b: 5 }, isPool), {
      ok: true,
      changes: [
        ['a', true],
        ['b', true],
      ],
    });
    assert.deepEqual(checkPoolResets({ a: '1', nope: '1' }, isPool), { ok: false, invalid: ['nope'] });
  });
});
