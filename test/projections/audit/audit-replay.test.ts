import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestAudit } from '../../../src/dialects/mozpool/projections/request-audit.js';
import { deviceAudit } from '../../../src/projections/audit/audit-kinds.js';
import { parseAuditQuery, parseIsoTime } from '../../../src/projections/audit/audit-query.js';
import { eventsUpTo, historyWithin, replayAt, type ReplayedState } from '../../../src/projections/audit/audit-replay.js';
import { deviceLife, MINUTE_MS, recorded, requestLife, T0 } from './audit-events.js';

/** One field of the replayed domain state. */
const field = (replayed: ReplayedState, key: string): unknown => (replayed.state as Readonly<Record<string, unknown>> | null)?.[key];

const deviceEvents = recorded('device-panda-0001', deviceLife(), { correlationId: 'c1', causationId: 'e0', actor: 'test', server: 'lab1:8010' });

describe('audit replay: history', () => {
  it('lists every event with its own time, position, cause, actor and server', () => {
    const history = historyWithin(deviceEvents, {});
    assert.equal(history.length, 4);
    assert.deepEqual(history[1], {
      time: '2024-06-01T12:01:00.000Z',
      position: '2',
      revision: 1,
      type: 'DeviceStateEntered',
      data: deviceLife()[1]?.data,
      cause: { correlationId: 'c1', causationId: 'e0' },
      actor: 'test',
      server: 'lab1:8010',
    });
  });

  it('keeps the events within from and to, both inclusive', () => {
    const history = historyWithin(deviceEvents, { fromMs: T0 + MINUTE_MS, toMs: T0 + 2 * MINUTE_MS });
    assert.deepEqual(
      history.map((entry) => entry.revision),
      [1, 2],
    );
  });

  it('falls back to the store time, and to nulls, when data and metadata say nothing', () => {
    const [entry] = historyWithin(recorded('device-x', [{ type: 'SomethingNew', data: 'no time here' }]), {});
    assert.equal(entry?.time, new Date(T0 + 1000).toISOString());
    assert.deepEqual([entry?.cause, entry?.actor, entry?.server], [{ correlationId: null, causationId: null }, null, null]);
  });
});

describe('audit replay: state at an instant', () => {
  it('folds the device through evolveDevice up to and including the instant', () => {
    const atReady = replayAt(deviceAudit, deviceEvents, T0 + 2 * MINUTE_MS);
    assert.equal(atReady.mozpool_state, 'ready');
    assert.equal(atReady.revision, 2);
    assert.equal(atReady.at, '2024-06-01T12:02:00.000Z');
    assert.deepEqual(field(atReady, 'holder'), null);
    const justBefore = replayAt(deviceAudit, deviceEvents, T0 + 2 * MINUTE_MS - 1);
    assert.equal(justBefore.mozpool_state, 'start_self_test');
    const leased = replayAt(deviceAudit, deviceEvents, T0 + 10 * MINUTE_MS);
    assert.deepEqual(field(leased, 'holder'), { kind: 'mozpool_request', id: '7' });
  });

  it('has no state before the first event', () => {
    assert.deepEqual(replayAt(deviceAudit, deviceEvents, T0 - 1), { at: '2024-06-01T11:59:59.999Z', revision: null, state: null, mozpool_state: null });
  });

  it('folds requests through evolveRequest', () => {
    const events = recorded('request-7', requestLife());
    assert.equal(replayAt(requestAudit, events, T0 + 90_000).mozpool_state, 'pending');
    assert.equal(replayAt(requestAudit, events, T0 + 2 * MINUTE_MS).mozpool_state, 'ready');
    assert.equal(field(replayAt(requestAudit, events, T0), 'assignee'), 'me');
  });

  it('skips event types this version does not know instead of folding them', () => {
    const events = recorded('device-panda-0001', [...deviceLife().slice(0, 3), { type: 'DeviceTeleported', data: { atMs: T0 + 3 * MINUTE_MS } }]);
    const replayed = replayAt(deviceAudit, events, T0 + 5 * MINUTE_MS);
    assert.equal(replayed.mozpool_state, 'ready');
    assert.equal(replayed.revision, 3);
  });

  it('stops at the first later event: an earlier-made event stored after it had not happened yet', () => {
    const [registered, selfTest, ready] = deviceLife();
    const late = recorded(
      'device-d',
      [registered, ready, selfTest].filter((event) => event !== undefined),
    );
    assert.deepEqual(
      eventsUpTo(late, T0 + 90_000).map((event) => event.revision),
      [0],
    );
  });
});

describe('audit replay: ids and query times', () => {
  it('reads request ids as integers', () => {
    assert.equal(requestAudit.parseId('+007'), '7');
    assert.equal(requestAudit.parseId('seven'), undefined);
    assert.equal(requestAudit.streamOf('7'), 'request-7');
    assert.equal(deviceAudit.streamOf('panda-0001'), 'device-panda-0001');
  });

  it('parses ISO times, UTC by default, and an unescaped + offset', () => {
    assert.equal(parseIsoTime('2024-06-01T12:00:00Z'), T0);
    assert.equal(parseIsoTime('2024-06-01T12:00:00'), T0);
    assert.equal(parseIsoTime('2024-06-01T14:00:00 02:00'), T0);
    assert.equal(parseIsoTime('yesterday'), undefined);
  });

  it('refuses a bad time and a window that ends before it starts', () => {
    assert.deepEqual(parseAuditQuery({ at: 'noon' }), { ok: false, message: "at must be an ISO 8601 time, not 'noon'" });
    assert.equal(parseAuditQuery({ from: '2024-06-02', to: '2024-06-01' }).ok, false);
    assert.deepEqual(parseAuditQuery({ from: '2024-06-01T12:00Z' }), { ok: true, query: { atMs: undefined, window: { fromMs: T0, toMs: undefined } } });
  });
});
