import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatAuditAnswer, summariseData } from '../../src/cli/history-format.js';
import type { HistoryEntry } from '../../src/projections/audit/audit-replay.js';

const entry: HistoryEntry = {
  time: '2024-06-01T12:00:00.000Z',
  position: '42',
  revision: 3,
  type: 'DeviceStateEntered',
  data: { from: 'ready', to: 'start_pxe_boot', reason: 'please_image android', atMs: 1, timeoutAtMs: Date.UTC(2024, 5, 1, 12, 5), counter: 1 },
  cause: { correlationId: 'c-1', causationId: null },
  actor: 'mozpool',
  server: 'lab1:8010',
};

describe('labpool history: human-readable lines', () => {
  it('reads a transition as from → to (reason), deadlines as ISO times, without atMs', () => {
    assert.equal(summariseData(entry.data), 'ready → start_pxe_boot (please_image android) timeoutAtMs=2024-06-01T12:05:00.000Z counter=1');
  });

  it('lists other events as key=value, empty strings quoted', () => {
    assert.equal(summariseData({ image: 'android', bootConfig: '', atMs: 5 }), "image=android bootConfig=''");
    assert.equal(summariseData({ from: 'x' }), 'from=x');
  });

  it('puts time, revision, type, gist, actor, server and correlation on one line', () => {
    assert.deepEqual(formatAuditAnswer('device d', { history: [entry] }), [
      '2024-06-01T12:00:00.000Z  #3  DeviceStateEntered  ready → start_pxe_boot (please_image android) timeoutAtMs=2024-06-01T12:05:00.000Z counter=1  [by mozpool, on lab1:8010, correlation c-1]',
    ]);
    assert.deepEqual(formatAuditAnswer('device d', { history: [] }), ['device d: no events in that time window']);
  });

  it('shows a replayed state as a header and one field per line', () => {
    const answer = { at: '2024-06-01T12:00:00.000Z', revision: 4, state: { state: 'ready', requestId: null }, mozpool_state: 'ready' };
    assert.deepEqual(formatAuditAnswer('request 7', answer), ['request 7 at 2024-06-01T12:00:00.000Z: ready (after event #4)', '  state: ready', '  requestId: null']);
    assert.deepEqual(formatAuditAnswer('request 7', { ...answer, revision: null, state: null, mozpool_state: null }), ['request 7 at 2024-06-01T12:00:00.000Z: no events yet']);
  });
});
