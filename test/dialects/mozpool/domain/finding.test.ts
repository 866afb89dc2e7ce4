import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { givenDecider } from '../../../support/given-when-then.js';
import { DEVICE, OTHER, RequestHistory, T0, contacting, enteredStates, finding, inState, openCommand, released, requestDecider } from './request-fixtures.js';

describe('request: opening', () => {
  it('opens with the device found beforehand and goes on to contacting_lifeguard', () => {
    givenDecider(requestDecider)
      .when(openCommand())
      .thenEvents([
        {
          type: 'RequestOpened',
          data: {
            id: 42,
            requestedDevice: 'any',
            assignee: 'tester@example.com',
            image: 'android',
            bootConfig: '{"b2gbase":"http://builds/1"}',
            environment: 'any',
            imagingServer: 'lab1:8010',
            expiresAtMs: T0 + 3_600_000,
            atMs: T0,
          },
        },
        { type: 'RequestStateEntered', data: { from: 'new', to: 'finding_device', reason: 'opened', atMs: T0, timeoutAtMs: T0 + 10_000, counter: 1 } },
        { type: 'RequestDeviceAssigned', data: { device: DEVICE, atMs: T0 } },
        { type: 'RequestStateEntered', data: { from: 'finding_device', to: 'contacting_lifeguard', reason: `found ${DEVICE}`, atMs: T0, timeoutAtMs: T0 + 30_000, counter: 1 } },
      ])
      .thenState((state) => assert.deepEqual([state.id, state.state, state.assignedDevice], [42, 'contacting_lifeguard', DEVICE]));
  });

  it('refuses a second open, and a duration that is not a positive integer', () => {
    contacting()
      .when(openCommand({ id: 43 }))
      .thenRejected('exists');
    givenDecider(requestDecider)
      .when(openCommand({ durationS: 0 }))
      .thenRejected('bad_duration');
    givenDecider(requestDecider)
      .when(openCommand({ durationS: 1.5 }))
      .thenRejected('bad_duration');
  });

  it('refuses any other command before opening', () => {
    givenDecider(requestDecider).when({ type: 'Return', nowMs: T0 }).thenRejected('unknown_request');
    givenDecider(requestDecider)
      .when({ type: 'FindResult', seq: 0, outcome: { kind: 'none_free' }, nowMs: T0 })
      .thenRejected('unknown_request');
  });
});

describe('request: finding_device', () => {
  it('a found device is assigned and contacted', () => {
    finding()
      .when((state, nowMs) => ({ type: 'FindResult', seq: state.seq, outcome: { kind: 'attached', device: OTHER }, nowMs }))
      .thenEventTypes('RequestDeviceAssigned', 'RequestStateEntered')
      .thenState(inState('contacting_lifeguard'))
      .thenState((state) => state.assignedDevice === OTHER);
  });

  it('no free device: logged, then the next try on the 10 s timeout', () => {
    const history = finding();
    assert.equal(history.deadline()?.atMs, history.nowMs + 10_000);
    history
      .when((state, nowMs) => ({ type: 'FindResult', seq: state.seq, outcome: { kind: 'none_free' }, nowMs }))
      .thenEventTypes('RequestLogged')
      .thenState(inState('finding_device'));
    history.whenTimeout().thenEventTypes('RequestStateEntered').thenState(inState('finding_device'));
  });

  it('`any`: the 60th try ends in failed_device_not_found', () => {
    const history = finding().times(57, (h) => h.find({ kind: 'none_free' }).timeout());
    assert.equal(history.state.counters.finding_device, 59);
    history.whenTimeout().thenState(inState('finding_device'));
    history.timeout();
    const failed = history.whenTimeout().thenEventTypes('RequestStateEntered').thenState(inState('failed_device_not_found'));
    assert.deepEqual(released(failed), [], 'nothing to release while finding');
    failed.thenState((state) => requestDecider.nextDeadline?.(state) === undefined, 'a failed request waits for nothing');
  });

  it('named: busy twice → failed_device_busy', () => {
    const history = new RequestHistory().record(
      { type: 'RequestOpened', data: { ...openFields(), requestedDevice: DEVICE } },
      { type: 'RequestStateEntered', data: { from: 'new', to: 'finding_device', reason: 'opened', atMs: T0, timeoutAtMs: T0 + 10_000, counter: 1 } },
    );
    history
      .when((state, nowMs) => ({ type: 'FindResult', seq: state.seq, outcome: { kind: 'busy' }, nowMs }))
      .thenEventTypes('RequestLogged')
      .thenState(inState('finding_device'));
    history.find({ kind: 'busy' }).timeout();
    history
      .when((state, nowMs) => ({ type: 'FindResult', seq: state.seq, outcome: { kind: 'busy' }, nowMs }))
      .thenEventTypes('RequestStateEntered')
      .thenState(inState('failed_device_busy'));
  });

  it('named: a device whose server did not answer is logged, and failed, with that server named', () => {
    const history = new RequestHistory().record(
      { type: 'RequestOpened', data: { ...openFields(), requestedDevice: DEVICE } },
      { type: 'RequestStateEntered', data: { from: 'new', to: 'finding_device', reason: 'opened', atMs: T0, timeoutAtMs: T0 + 10_000, counter: 1 } },
    );
    const unanswered = `device ${DEVICE} cannot be had now: its server lab2:8010 did not answer`;
    history
      .when((state, nowMs) => ({ type: 'FindResult', seq: state.seq, outcome: { kind: 'busy', silentServer: 'lab2:8010' }, nowMs }))
      .thenEvents([{ type: 'RequestLogged', data: { message: unanswered, atMs: T0 } }]);
    history.find({ kind: 'busy', silentServer: 'lab2:8010' }).timeout();
    const failed = history.when((state, nowMs) => ({ type: 'FindResult', seq: state.seq, outcome: { kind: 'busy', silentServer: 'lab2:8010' }, nowMs }));
    failed.thenEventTypes('RequestStateEntered').thenState(inState('failed_device_busy'));
    const { decision } = failed;
    assert.ok(decision.ok);
    assert.equal((decision.events[0]!.data as { reason: string }).reason, unanswered);
  });

  it('named: the try at opening counts, so busy after the device was not ready fails at once', () => {
    finding({ requestedDevice: DEVICE })
      .when((state, nowMs) => ({ type: 'FindResult', seq: state.seq, outcome: { kind: 'busy' }, nowMs }))
      .thenState(inState('failed_device_busy'));
  });

  it('named: a device already failed → failed_bad_device', () => {
    finding({ requestedDevice: DEVICE })
      .when((state, nowMs) => ({ type: 'FindResult', seq: state.seq, outcome: { kind: 'bad_device' }, nowMs }))
      .thenEventTypes('RequestStateEntered')
      .thenState(inState('failed_bad_device'));
  });

  it('named: timeouts alone never give up', () => {
    finding({ requestedDevice: DEVICE })
      .times(70, (h) => h.timeout())
      .whenTimeout()
      .thenState(inState('finding_device'));
  });

  it('a find result for an earlier try, or outside finding_device, is stale', () => {
    const history = finding();
    const seq = history.state.seq;
    history
      .timeout()
      .when({ type: 'FindResult', seq, outcome: { kind: 'none_free' }, nowMs: T0 })
      .thenRejected('stale_result');
    contacting()
      .when((state, nowMs) => ({ type: 'FindResult', seq: state.seq, outcome: { kind: 'none_free' }, nowMs }))
      .thenRejected('stale_result');
    contacting()
      .when((state, nowMs) => ({ type: 'FindResult', seq: state.seq, outcome: { kind: 'attached', device: OTHER }, nowMs }))
      .thenRejected('stale_result');
  });

  it('a device attached by an earlier try is taken while the request still finds (else it would be stranded)', () => {
    const history = finding();
    const seq = history.state.seq;
    history
      .timeout()
      .when({ type: 'FindResult', seq, outcome: { kind: 'attached', device: OTHER }, nowMs: T0 })
      .thenEventTypes('RequestDeviceAssigned', 'RequestStateEntered')
      .thenState((state) => state.assignedDevice === OTHER && state.state === 'contacting_lifeguard');
  });
});

describe('request: contacting_lifeguard', () => {
  it('accepted → pending (60 s)', () => {
    const history = contacting();
    history
      .when((state, nowMs) => ({ type: 'LifeguardResult', seq: state.seq, outcome: 'accepted', detail: 'please_image', nowMs }))
      .thenEventTypes('RequestStateEntered')
      .thenState(inState('pending'))
      .thenState((state) => state.timeoutAtMs === history.nowMs + 60_000 && state.assignedDevice === DEVICE);
  });

  it('device not ready → released, back to finding_device', () => {
    const outcome = contacting().when((state, nowMs) => ({ type: 'LifeguardResult', seq: state.seq, outcome: 'not_ready', detail: 'in verifying', nowMs }));
    outcome
      .thenEventTypes('RequestDeviceReleased', 'RequestStateEntered')
      .thenState(inState('finding_device'))
      .thenState((state) => state.assignedDevice === null);
    assert.deepEqual(released(outcome), [DEVICE]);
  });

  it('bad image (no PXE config for it) → failed_bad_image, device released', () => {
    const outcome = contacting().when((state, nowMs) => ({ type: 'LifeguardResult', seq: state.seq, outcome: 'bad_image', detail: 'no PXE config', nowMs }));
    outcome.thenState(inState('failed_bad_image'));
    assert.deepEqual(released(outcome), [DEVICE]);
  });

  it('LifeGuard unreachable 5 times → failed_device_not_found', () => {
    const history = contacting();
    history
      .when((state, nowMs) => ({ type: 'LifeguardResult', seq: state.seq, outcome: 'unreachable', detail: 'ECONNREFUSED', nowMs }))
      .thenEventTypes('RequestLogged')
      .thenState(inState('contacting_lifeguard'));
    history.times(4, (h) => h.lifeguard('unreachable').timeout());
    assert.equal(history.state.counters.contacting_lifeguard, 5);
    const failed = history.when((state, nowMs) => ({ type: 'LifeguardResult', seq: state.seq, outcome: 'unreachable', detail: 'ECONNREFUSED', nowMs }));
    failed.thenEventTypes('RequestDeviceReleased', 'RequestStateEntered').thenState(inState('failed_device_not_found'));
  });

  it('no answer at all: the 5th timeout fails', () => {
    const history = contacting().times(4, (h) => h.timeout());
    assert.equal(history.state.counters.contacting_lifeguard, 5);
    assert.equal(history.state.state, 'contacting_lifeguard');
    const failed = history.whenTimeout().thenState(inState('failed_device_not_found'));
    assert.deepEqual(released(failed), [DEVICE]);
    assert.deepEqual(enteredStates(failed), ['failed_device_not_found']);
  });

  it('a LifeGuard result for an earlier try is stale', () => {
    const history = contacting();
    const seq = history.state.seq;
    history.timeout().when({ type: 'LifeguardResult', seq, outcome: 'accepted', detail: '', nowMs: T0 }).thenRejected('stale_result');
  });
});

function openFields() {
  const { type: _type, durationS, assignedDevice: _device, nowMs, ...fields } = openCommand();
  return { ...fields, expiresAtMs: nowMs + durationS * 1000, atMs: nowMs };
}
