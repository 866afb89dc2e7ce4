import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkLifetime, checkTags, checkVmChange, diskSizeGbOf, isSnapshotId, wholeNumberOf } from '../../../../src/dialects/vmpooler/domain/vm-changes.js';

const OPEN = { maxLifetimeUpperLimitH: 0, allowedTags: null, tagFilter: {} };

describe('vm changes (PUT /vm/<host>)', () => {
  it('reads whole numbers as integers or strings of digits, nothing else', () => {
    assert.equal(wholeNumberOf(12), 12);
    assert.equal(wholeNumberOf(' 12 '), 12);
    for (const bad of [1.5, '1.5', '-1', '', 'two', null, true, [], {}, Number.NaN, 2 ** 60]) assert.equal(wholeNumberOf(bad), undefined, JSON.stringify(bad));
  });

  it('takes a lifetime above 0 and below the cap when there is one', () => {
    assert.deepEqual(checkLifetime('2', 0), { lifetimeH: 2 });
    assert.deepEqual(checkLifetime(10_000, 0), { lifetimeH: 10_000 });
    assert.deepEqual(checkLifetime(11, 12), { lifetimeH: 11 });
    for (const [raw, cap] of [
      [0, 0],
      ['0', 0],
      [-3, 0],
      [1.5, 0],
      ['abc', 0],
      [12, 12],
      [13, 12],
    ] as const) {
      assert.ok('failure' in checkLifetime(raw, cap), `${String(raw)} under cap ${cap}`);
    }
  });

  it('takes tags as an object of names to strings, skipping empty values', () => {
    assert.deepEqual(checkTags({ department: 'eng', 'a.b_c-1': 'x', empty: '' }, OPEN), { tags: { department: 'eng', 'a.b_c-1': 'x' } });
    assert.deepEqual(checkTags({}, OPEN), { tags: {} });
  });

  it('refuses tags that are no object, bad names, non-string and over-long values, naming each', () => {
    for (const raw of ['a=b', 3, null, ['x'], true]) assert.equal((checkTags(raw, OPEN) as { failures: string[] }).failures.length, 1, JSON.stringify(raw));
    const result = checkTags({ 'bad name': 'x', ['x'.repeat(51)]: 'y', n: 5, long: 'v'.repeat(256), ok: 'fine' }, OPEN);
    assert.equal((result as { failures: string[] }).failures.length, 4);
    assert.deepEqual(checkTags({ ok: 'v'.repeat(255) }, OPEN), { tags: { ok: 'v'.repeat(255) } });
  });

  it('keeps to the allowed tags when a whitelist is configured', () => {
    const settings = { allowedTags: ['project', 'user'], tagFilter: {} };
    assert.deepEqual(checkTags({ project: 'x' }, settings), { tags: { project: 'x' } });
    assert.match((checkTags({ project: 'x', secret: 'y' }, settings) as { failures: string[] }).failures[0] ?? '', /secret/);
  });

  it('keeps what a tag filter captures, and the value when it does not match', () => {
    const settings = { allowedTags: null, tagFilter: { url: '^https?://([^/]+)', both: '(a+)-(b+)', broken: '(' } };
    assert.deepEqual(checkTags({ url: 'https://ci.example.com/job/42', both: 'xaa-bbx', broken: 'kept', other: 'same' }, settings), {
      tags: { url: 'ci.example.com', both: 'aabb', broken: 'kept', other: 'same' },
    });
    assert.deepEqual(checkTags({ url: 'no url here' }, settings), { tags: { url: 'no url here' } });
  });

  it('checks a whole body: lifetime and tags together, unknown keys and non-objects refused', () => {
    assert.deepEqual(checkVmChange({ lifetime: '3', tags: { a: 'b' } }, OPEN), { ok: true, change: { lifetimeH: 3, tags: { a: 'b' } } });
    assert.deepEqual(checkVmChange({}, OPEN), { ok: true, change: {} });
    const bad = checkVmChange({ lifetime: 0, tags: 'x', color: 'red' }, OPEN);
    assert.equal(bad.ok, false);
    assert.equal(!bad.ok && bad.failure.length, 3);
    for (const body of [null, [], 'x', 3]) assert.equal(checkVmChange(body, OPEN).ok, false);
  });

  it('reads disk sizes of 1 to 2048 whole GB and snapshot ids of 32 [a-z0-9]', () => {
    assert.equal(diskSizeGbOf('8'), 8);
    assert.equal(diskSizeGbOf('2048'), 2048);
    for (const bad of ['0', '2049', '-1', '1.5', 'abc', '', '99999']) assert.equal(diskSizeGbOf(bad), undefined, bad);
    assert.ok(isSnapshotId('n4eb4kdtp7rwv4x158366vd9jhac8btq'));
    assert.ok(!isSnapshotId('N4eb4kdtp7rwv4x158366vd9jhac8btq'));
    assert.ok(!isSnapshotId('short'));
  });
});
