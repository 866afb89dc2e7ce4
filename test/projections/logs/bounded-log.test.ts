import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBoundedLogs, lineFrom, type LogLine, type LogQuery } from '../../../src/projections/logs/bounded-log.js';
import type { LogEntry } from '../../../src/projections/read-models.js';

const T0 = Date.UTC(2024, 5, 1, 12);
const ops = lineFrom('ops');
const said = (message: string, source = 'ops'): LogLine => lineFrom(source)`${message}`;

/** The same logs kept the plain way: every line, read through the same query rules. */
function referenceLogs(maxLines: number) {
  const logs = new Map<string, { atMs: number; entry: LogEntry }[]>();
  return {
    append(key: string, atMs: number, id: number, source: string, message: string) {
      logs.set(key, [...(logs.get(key) ?? []), { atMs, entry: { id, timestamp: new Date(atMs).toISOString(), source, message } }]);
    },
    delete: (key: string) => logs.delete(key),
    read(key: string, { sinceMs, limit }: LogQuery = {}): LogEntry[] {
      const newest = (logs.get(key) ?? []).slice(-maxLines);
      const recent = sinceMs === undefined ? newest : newest.filter((line) => line.atMs >= sinceMs);
      return (limit === undefined ? recent : recent.slice(Math.max(0, recent.length - Math.max(0, limit)))).map((line) => line.entry);
    },
  };
}

describe('bounded logs', () => {
  it('formats a line as its template literal would, when read', () => {
    const logs = createBoundedLogs(10);
    const [to, from, counter] = ['pxe_booting', 'pxe_power_cycling', 3];
    logs.append('d', T0, 1, ops`entering state ${to} (from ${from}, try ${counter})`);
    logs.append('d', T0 + 1, 2, ops`numbers ${0} ${-0} ${1.5} ${2 ** 40} ${-7} ${Number.NaN} ${Infinity}`);
    logs.append('d', T0 + 2, 3, ops``);
    assert.deepEqual(logs.read('d'), [
      { id: 1, timestamp: '2024-06-01T12:00:00.000Z', source: 'ops', message: 'entering state pxe_booting (from pxe_power_cycling, try 3)' },
      { id: 2, timestamp: '2024-06-01T12:00:00.001Z', source: 'ops', message: 'numbers 0 0 1.5 1099511627776 -7 NaN Infinity' },
      { id: 3, timestamp: '2024-06-01T12:00:00.002Z', source: 'ops', message: '' },
    ]);
  });

  it('writes out sources beyond the first 255', () => {
    const logs = createBoundedLogs(1_000);
    for (let i = 0; i < 600; i++) logs.append('d', T0, i + 1, said(`line ${i}`, `source ${i % 300}`));
    assert.deepEqual(
      logs.read('d').map((line) => line.source),
      Array.from({ length: 600 }, (_, i) => `source ${i % 300}`),
    );
  });

  it('filters by time and limits to the newest lines, oldest first', () => {
    const logs = createBoundedLogs(10);
    for (let i = 1; i <= 5; i++) logs.append('d', T0 + i * 1000, i, ops`line ${i}`);
    const ids = (query?: LogQuery) => logs.read('d', query).map((line) => line.id);
    assert.deepEqual(ids({ sinceMs: T0 + 3000 }), [3, 4, 5]);
    assert.deepEqual(ids({ sinceMs: T0 + 3001 }), [4, 5]);
    assert.deepEqual(ids({ limit: 2 }), [4, 5]);
    assert.deepEqual(ids({ limit: 10 }), [1, 2, 3, 4, 5]);
    assert.deepEqual(ids({ sinceMs: T0 + 2000, limit: 2 }), [4, 5]);
    assert.deepEqual(ids({ limit: 0 }), []);
    assert.deepEqual(ids({ limit: -1 }), []);
    assert.deepEqual(ids({ limit: 2.5 }), [3, 4, 5]);
    assert.deepEqual(ids({ sinceMs: Number.NaN }), []);
    assert.deepEqual(logs.read('unknown'), []);
  });

  it('keeps the newest lines of each log, and drops deleted logs, through many compactions', () => {
    const maxLines = 7;
    const logs = createBoundedLogs(maxLines);
    const reference = referenceLogs(maxLines);
    let seed = 1;
    const random = (n: number) => (seed = (seed * 16_807) % 2_147_483_647) % n;
    const revisions = new Map<string, number>();
    for (let i = 0; i < 40_000; i++) {
      const key = `log-${random(30)}`;
      if (random(500) === 0) {
        logs.delete(key);
        reference.delete(key);
        continue;
      }
      const id = (revisions.get(key) ?? 0) + 1;
      revisions.set(key, id);
      const message = i % 3 === 0 ? `lïne ${i} ${'z'.repeat(random(300))}` : `line ${i}`;
      logs.append(key, T0 + i, id, said(message));
      reference.append(key, T0 + i, id, 'ops', message);
      if (i % 1_000 === 0) for (const k of revisions.keys()) assert.deepEqual(logs.read(k, { limit: 5, sinceMs: T0 + i - 50 }), reference.read(k, { limit: 5, sinceMs: T0 + i - 50 }));
    }
    for (const key of revisions.keys()) assert.deepEqual(logs.read(key), reference.read(key));
  });

  it('keeps a log whole up to its cap', () => {
    const logs = createBoundedLogs(1_000);
    for (let i = 1; i <= 2_500; i++) logs.append('d', T0, i, ops`line ${i}`);
    const log = logs.read('d');
    assert.equal(log.length, 1_000);
    assert.equal(log[0]?.id, 1_501);
    assert.equal(log.at(-1)?.message, 'line 2500');
  });

  it('refuses a line whose values do not fill its template, and a cap under one line', () => {
    const logs = createBoundedLogs(1);
    assert.throws(() => logs.append('d', T0, 1, { source: 'ops', template: ['a ', ' b'], values: [] }), RangeError);
    assert.deepEqual(logs.read('d'), []);
    assert.throws(() => createBoundedLogs(0), RangeError);
  });
});
