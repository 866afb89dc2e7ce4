import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBoundedLogs, lineFrom, type LogLine } from '../../../src/projections/logs/bounded-log.js';
import { ByteReader, maxValueBytes, writeValue, writeVarint, type LogValue } from '../../../src/projections/logs/log-codec.js';

const T0 = Date.UTC(2024, 5, 1, 12);
const ops = lineFrom('ops');
const said = (message: string, source = 'ops'): LogLine => lineFrom(source)`${message}`;

/** Writes `values` one after another and reads them back. */
function roundTrip(values: readonly LogValue[]): LogValue[] {
  const bytes = Buffer.alloc(values.reduce((total: number, value) => total + maxValueBytes(value), 0));
  let end = 0;
  for (const value of values) end = writeValue(bytes, end, value);
  const reader = new ByteReader(bytes, 0);
  const read = values.map(() => reader.value());
  assert.equal(reader.at, end);
  return read;
}

describe('log byte codec', () => {
  it('reads back numbers and texts as written, within their byte bounds', () => {
    const values: LogValue[] = [0, -0, 1.5, 2 ** 40, -7, Number.NaN, Infinity, '', 'ascii', 'héllo', 'a lone \ud800 surrogate', 'x'.repeat(127), 'x'.repeat(128), 'é'.repeat(5_000)];
    assert.deepEqual(roundTrip(values), values);
  });

  it('reads back varints of any safe integer, and skips them and values', () => {
    const numbers = [0, 1, 127, 128, 16_383, 16_384, 2 ** 40, Number.MAX_SAFE_INTEGER];
    const bytes = Buffer.alloc(numbers.length * 8 + 20);
    let end = 0;
    for (const n of numbers) end = writeVarint(bytes, end, n);
    const afterVarints = writeValue(bytes, end, 'skipped');
    writeVarint(bytes, afterVarints, 42);
    const reader = new ByteReader(bytes, 0);
    assert.deepEqual(
      numbers.map(() => reader.varint()),
      numbers,
    );
    assert.equal(reader.at, end);
    assert.equal(new ByteReader(bytes, 0).skipVarint().skipVarint().skipVarint().varint(), 128);
    assert.equal(new ByteReader(bytes, end).skipValue().varint(), 42);
  });

  it('refuses a varint that is not a safe non-negative integer', () => {
    const bytes = Buffer.alloc(16);
    for (const value of [-1, 1.5, Number.NaN, 2 ** 53]) assert.throws(() => writeVarint(bytes, 0, value), RangeError);
  });

  it('gives back any text as it was given, however long and whatever its characters', () => {
    const texts = [
      'héllo wörld',
      '日本語のメッセージ',
      'emoji 😀 and ünïcödé',
      'a lone \ud800 surrogate',
      'a lone \udfff low one',
      '\u0000 nul, tab\t, newline\n',
      'x'.repeat(127),
      'x'.repeat(128),
      'é'.repeat(5_000),
      'y'.repeat(3 << 20),
      'after the big one',
    ];
    const logs = createBoundedLogs(100);
    texts.forEach((text, i) => logs.append('d', T0 + i, i + 1, said(text, `source ${text.slice(0, 20)}`)));
    const log = logs.read('d');
    assert.deepEqual(
      log.map((line) => line.message),
      texts,
    );
    assert.deepEqual(
      log.map((line) => line.source),
      texts.map((text) => `source ${text.slice(0, 20)}`),
    );
  });

  it('dates lines by any epoch ms and numbers them by any revision', () => {
    const logs = createBoundedLogs(10);
    const ids = [1, 127, 128, 16_384, 2 ** 40, Number.MAX_SAFE_INTEGER];
    ids.forEach((id, i) => logs.append('d', T0 + i * 1.5, id, ops`line`));
    logs.append('d', 253_402_300_800_000, 7, ops`far future`);
    assert.deepEqual(
      logs.read('d').map((line) => line.id),
      [...ids, 7],
    );
    assert.equal(logs.read('d')[1]?.timestamp, '2024-06-01T12:00:00.001Z');
    assert.equal(logs.read('d').at(-1)?.timestamp, '+010000-01-01T00:00:00.000Z');
    assert.throws(() => logs.append('d', T0, 1.5, ops`no`), RangeError);
    assert.equal(logs.read('d').length, 7);
  });
});
