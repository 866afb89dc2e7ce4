import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CommittedEvent, RecentEvents } from '../../src/store/sqlite-recent.js';

const at = (position: number) => new CommittedEvent(`e${position}`, 's-1', position - 1, BigInt(position), 'T', { position }, {}, 0);
const positions = (events: readonly { position: bigint }[] | undefined) => events?.map((event) => Number(event.position));

describe('recent events of the SQLite store', () => {
  it('serves a run only from a position inside it, up to the limit', () => {
    const recent = new RecentEvents(100);
    recent.add([at(5), at(6)]);
    recent.add([at(7)]);
    assert.deepEqual(positions(recent.after(4n, 10)), [5, 6, 7]);
    assert.deepEqual(positions(recent.after(5n, 1)), [6]);
    assert.equal(recent.after(3n, 10), undefined, 'position 4 might hold another writer event');
    assert.equal(recent.after(7n, 10), undefined, 'nothing after the newest');
  });

  it('starts again after a gap, and keeps only the newest events', () => {
    const recent = new RecentEvents(3);
    recent.add([at(1), at(2)]);
    recent.add([at(4)]);
    assert.equal(recent.after(1n, 10), undefined, 'the run before the gap is gone');
    assert.deepEqual(positions(recent.after(3n, 10)), [4]);
    recent.add([at(5), at(6), at(7)]);
    assert.deepEqual(positions(recent.after(4n, 10)), [5, 6, 7]);
    assert.equal(recent.after(3n, 10), undefined);
  });
});
