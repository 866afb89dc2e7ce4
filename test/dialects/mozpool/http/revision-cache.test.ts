import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRevisionCache } from '../../../../src/dialects/mozpool/http/revision-cache.js';

describe('revision cache', () => {
  it('keeps an answer while its revision is current and builds it again when the revision moves', () => {
    const cache = createRevisionCache(10);
    let builds = 0;
    const build = (text: string) => () => (builds++, text);
    assert.equal(cache.get('a', 1, build('a@1')), 'a@1');
    assert.equal(cache.get('a', 1, build('not built')), 'a@1');
    assert.equal(cache.get('a', 2, build('a@2')), 'a@2');
    assert.equal(builds, 2);
  });

  it('never keeps an answer for an unknown revision', () => {
    const cache = createRevisionCache(10);
    assert.equal(
      cache.get('a', undefined, () => 'first'),
      'first',
    );
    assert.equal(
      cache.get('a', undefined, () => 'second'),
      'second',
    );
  });

  it('drops the least recently used answer beyond its size', () => {
    const cache = createRevisionCache(2);
    cache.get('a', 1, () => 'a');
    cache.get('b', 1, () => 'b');
    cache.get('a', 1, () => 'rebuilt a'); // a is now the most recent
    cache.get('c', 1, () => 'c'); // drops b
    assert.equal(
      cache.get('a', 1, () => 'rebuilt a'),
      'a',
    );
    assert.equal(
      cache.get('b', 1, () => 'rebuilt b'),
      'rebuilt b',
    );
  });
});
