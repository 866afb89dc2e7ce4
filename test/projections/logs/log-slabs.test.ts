import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { writeVarint } from '../../../src/projections/logs/log-codec.js';
import { LogSlabs, SLAB_BYTES } from '../../../src/projections/logs/log-slabs.js';

/** Reserves `bytes` and writes a one-byte marker there, as a log appends a line. */
function append(slabs: LogSlabs, bytes: number, marker: number): number {
  const address = slabs.reserve(bytes);
  slabs.end = writeVarint(slabs.slab, slabs.end, marker) + bytes - 1;
  return address;
}

describe('log slabs', () => {
  it('opens a slab for the first line, and appends after the previous one', () => {
    const slabs = new LogSlabs();
    assert.equal(append(slabs, 10, 1), 0);
    assert.equal(append(slabs, 5, 2), 10);
    assert.deepEqual([slabs.reader(0).varint(), slabs.reader(10).varint()], [1, 2]);
  });

  it('starts a line that does not fit at the start of a new slab', () => {
    const slabs = new LogSlabs();
    append(slabs, SLAB_BYTES - 3, 1);
    assert.equal(append(slabs, 4, 2), SLAB_BYTES);
    assert.equal(append(slabs, 3, 3), SLAB_BYTES + 4);
    assert.deepEqual([slabs.reader(0).varint(), slabs.reader(SLAB_BYTES).varint(), slabs.reader(SLAB_BYTES + 4).varint()], [1, 2, 3]);
  });

  it('gives a line longer than a slab a slab of its own', () => {
    const slabs = new LogSlabs();
    append(slabs, 1, 1);
    assert.equal(append(slabs, 3 * SLAB_BYTES, 2), SLAB_BYTES);
    assert.equal(slabs.slab.length, 3 * SLAB_BYTES);
    assert.equal(append(slabs, 1, 3), 2 * SLAB_BYTES);
    assert.equal(slabs.reader(2 * SLAB_BYTES).varint(), 3);
  });

  it('refuses to read where no slab is', () => {
    const slabs = new LogSlabs();
    assert.throws(() => slabs.reader(0), RangeError);
    append(slabs, 1, 1);
    assert.throws(() => slabs.reader(SLAB_BYTES), RangeError);
  });
});
