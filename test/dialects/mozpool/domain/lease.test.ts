import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEVICE, T0, contacting, enteredStates, eventsOf, finding, inState, pending, ready, released, type RequestHistory } from './request-fixtures.js';

const failed = () => contacting().lifeguard('bad_image');
const closed = () => ready().send((_, nowMs) => ({ type: 'Return', nowMs }));

/** Live (non-failed, not closed) states, with and without a device. */
const LIVE: [string, () => RequestHistory, string[]][] = [
  ['finding_device', () => finding(), []],
  ['contacting_lifeguard', () => contacting(), [DEVICE]],
  ['pending', () => pending(), [DEVICE]],
  ['ready', () => ready(), [DEVICE]],
];

describe('request: return', () => {
  for (const [state, history, devices] of LIVE) {
    it(`closes from ${state}, releasing ${devices.join() || 'nothing'}`, () => {
      const at = T0 + 5_000;
      const outcome = history().when({ type: 'Return', nowMs: at }).thenState(inState('closed'));
      assert.deepEqual(released(outcome), devices);
      assert.deepEqual(enteredStates(outcome), ['closed']);
      assert.deepEqual(
        eventsOf(outcome, 'RequestClosed').map((event) => event.data),
        [{ reason: 'returned', atMs: at }],
      );
      outcome.thenState((after) => after.assignedDevice === null && outcome.decision.ok && outcome.decision.events.at(-1)?.type === 'RequestClosed');
    });
  }

  it('returning a closed or failed request changes nothing', () => {
    closed().when({ type: 'Return', nowMs: T0 }).thenNothing();
    failed().when({ type: 'Return', nowMs: T0 }).thenNothing().thenState(inState('failed_bad_image'));
  });
});

describe('request: expiry', () => {
  const SHORT: [string, () => RequestHistory, string[]][] = [
    ['finding_device', () => finding({ durationS: 5 }), []],
    ['contacting_lifeguard', () => contacting({ durationS: 5 }), [DEVICE]],
    ['pending', () => pending({ durationS: 5 }), [DEVICE]],
    ['ready', () => ready({ durationS: 5 }), [DEVICE]],
  ];
  for (const [state, history, devices] of SHORT) {
    it(`closes from ${state} when the lease expires, releasing ${devices.join() || 'nothing'}`, () => {
      const h = history();
      assert.equal(h.state.state, state);
      assert.deepEqual(h.deadline(), { name: 'expiry', atMs: T0 + 5_000 });
      const outcome = h.whenTimeout().thenState(inState('closed'));
      assert.deepEqual(released(outcome), devices);
      assert.deepEqual(enteredStates(outcome), ['closed']);
      assert.deepEqual(
        eventsOf(outcome, 'RequestClosed').map((event) => event.data),
        [{ reason: 'expired', atMs: T0 + 5_000 }],
      );
      outcome.thenState((after) => h.decider.nextDeadline?.(after) === undefined, 'a closed request waits for nothing');
    });
  }

  it('a short lease expires before the state timeout', () => {
    const history = contacting({ durationS: 20 });
    assert.deepEqual(history.deadline(), { name: 'expiry', atMs: T0 + 20_000 });
    const outcome = history.whenTimeout().thenState(inState('closed'));
    assert.deepEqual(released(outcome), [DEVICE]);
    assert.equal(eventsOf(outcome, 'RequestClosed')[0]?.data.reason, 'expired');
  });

  it('the state timeout comes first when it is nearer', () => {
    const history = pending();
    assert.deepEqual(history.deadline(), { name: `pending#${history.state.seq}`, atMs: history.nowMs + 60_000 });
  });

  it('failed and closed requests are not closed by expiry: they have no deadline', () => {
    for (const history of [failed(), closed()]) {
      assert.equal(history.deadline(), undefined);
      history.when({ type: 'Timeout', deadline: { name: 'expiry', atMs: history.state.expiresAtMs }, nowMs: history.state.expiresAtMs }).thenRejected('stale_timeout');
    }
  });

  it('a state timeout that is no longer current is stale', () => {
    const history = contacting();
    const old = history.deadline()!;
    history.lifeguard('accepted').when({ type: 'Timeout', deadline: old, nowMs: old.atMs }).thenRejected('stale_timeout');
  });
});

describe('request: renew', () => {
  it('sets expires = now + duration, and the expiry deadline moves with it', () => {
    const history = ready();
    const at = T0 + 1_800_000;
    history
      .when({ type: 'Renew', durationS: 7_200, nowMs: at })
      .thenEvents([{ type: 'LeaseRenewed', data: { expiresAtMs: at + 7_200_000, atMs: at } }])
      .thenState((state) => assert.deepEqual(history.decider.nextDeadline?.(state), { name: 'expiry', atMs: at + 7_200_000 }));
  });

  it('can shorten the lease too', () => {
    ready()
      .when({ type: 'Renew', durationS: 60, nowMs: T0 })
      .thenState((state) => state.expiresAtMs === T0 + 60_000);
  });

  it('the expiry of the lease before renewal no longer closes it', () => {
    const history = ready();
    const before = history.deadline()!;
    history
      .send({ type: 'Renew', durationS: 7_200, nowMs: before.atMs - 1 })
      .when({ type: 'Timeout', deadline: before, nowMs: before.atMs })
      .thenRejected('stale_timeout')
      .thenState(inState('ready'));
  });

  it('is refused for closed and failed requests', () => {
    closed().when({ type: 'Renew', durationS: 60, nowMs: T0 }).thenRejected('closed');
    failed().when({ type: 'Renew', durationS: 60, nowMs: T0 }).thenRejected('closed');
  });
});
