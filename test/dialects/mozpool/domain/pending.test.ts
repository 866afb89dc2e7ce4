import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImagingResult } from '../../../../src/dialects/mozpool/domain/request-events.js';
import { DEVICE, OTHER, T0, enteredStates, eventsOf, inState, pending, ready, released, requestDecider } from './request-fixtures.js';

const result =
  (result: ImagingResult, device = DEVICE) =>
  (_: unknown, nowMs: number) => ({ type: 'ImagingResult' as const, device, result, nowMs });

describe('request: pending → imaging results', () => {
  it('complete → ready, which waits for nothing but the expiry', () => {
    const history = pending();
    history
      .when(result('complete'))
      .thenEvents([
        { type: 'RequestImagingResultReceived', data: { device: DEVICE, result: 'complete', atMs: history.nowMs } },
        { type: 'RequestStateEntered', data: { from: 'pending', to: 'ready', reason: `${DEVICE} is ready`, atMs: history.nowMs, timeoutAtMs: null, counter: 1 } },
      ])
      .thenState((state) => assert.deepEqual(requestDecider.nextDeadline?.(state), { name: 'expiry', atMs: T0 + 3_600_000 }));
  });

  it('a first bad image → back to contacting_lifeguard with the same device; the second → failed_bad_image', () => {
    const history = pending();
    const first = history
      .when(result('failed-bad-image'))
      .thenState(inState('contacting_lifeguard'))
      .thenState((state) => state.assignedDevice === DEVICE && state.badImages === 1);
    assert.deepEqual(released(first), []);
    history.imaging('failed-bad-image').lifeguard('accepted');
    const second = history.when(result('failed-bad-image')).thenEventTypes('RequestImagingResultReceived', 'RequestDeviceReleased', 'RequestStateEntered').thenState(inState('failed_bad_image'));
    assert.deepEqual(released(second), [DEVICE]);
  });

  it('a bad device under an `any` request → released, finding another device', () => {
    const history = pending();
    const outcome = history.when(result('failed-bad-device')).thenEventTypes('RequestImagingResultReceived', 'RequestDeviceReleased', 'RequestStateEntered').thenState(inState('finding_device'));
    assert.deepEqual(released(outcome), [DEVICE]);
    history.imaging('failed-bad-device');
    history
      .when((state, nowMs) => ({ type: 'FindResult', seq: state.seq, outcome: { kind: 'attached', device: OTHER }, nowMs }))
      .thenState(inState('contacting_lifeguard'))
      .thenState((state) => state.assignedDevice === OTHER);
  });

  it('a bad device under a named request → failed_bad_device, released', () => {
    const outcome = pending({ requestedDevice: DEVICE }).when(result('failed-bad-device')).thenState(inState('failed_bad_device'));
    assert.deepEqual(released(outcome), [DEVICE]);
  });

  it('a result from another device, or outside pending, is stale', () => {
    pending().when(result('complete', OTHER)).thenRejected('stale_result');
    ready().when(result('complete')).thenRejected('stale_result');
  });
});

describe('request: pending timeouts', () => {
  it('60 s each; after 20 an `any` request releases the device and finds another', () => {
    const history = pending();
    assert.equal(history.state.timeoutAtMs, history.nowMs + 60_000);
    history.times(19, (h) => h.timeout());
    assert.equal(history.state.counters.pending, 20);
    assert.equal(history.state.state, 'pending');
    const outcome = history.whenTimeout().thenEventTypes('RequestDeviceReleased', 'RequestStateEntered').thenState(inState('finding_device'));
    assert.deepEqual(released(outcome), [DEVICE]);
  });

  it('a named request keeps waiting in pending', () => {
    const history = pending({ requestedDevice: DEVICE }).times(25, (h) => h.timeout());
    const outcome = history
      .whenTimeout()
      .thenState(inState('pending'))
      .thenState((state) => state.assignedDevice === DEVICE);
    assert.deepEqual(enteredStates(outcome), ['pending']);
    assert.deepEqual(released(outcome), []);
  });
});

describe('request: events posted to the request', () => {
  for (const [event, next] of [
    ['complete', 'ready'],
    ['failed-bad-image', 'contacting_lifeguard'],
    ['failed-bad-device', 'finding_device'],
  ] as const) {
    it(`\`${event}\` while pending acts as the imaging result (→ ${next})`, () => {
      const outcome = pending()
        .when((_, nowMs) => ({ type: 'ReportEvent', event, nowMs }))
        .thenState(inState(next));
      assert.deepEqual(
        eventsOf(outcome, 'RequestImagingResultReceived').map((received) => [received.data.device, received.data.result]),
        [[DEVICE, event]],
      );
    });
  }

  it('other events, or results outside pending, are logged and ignored', () => {
    const history = pending();
    history
      .when({ type: 'ReportEvent', event: 'lifeguard_contacted', nowMs: T0 })
      .thenEvents([{ type: 'RequestEventReported', data: { event: 'lifeguard_contacted', state: 'pending', ignored: true, atMs: T0 } }])
      .thenState(inState('pending'));
    ready()
      .when({ type: 'ReportEvent', event: 'failed-bad-device', nowMs: T0 })
      .thenEvents([{ type: 'RequestEventReported', data: { event: 'failed-bad-device', state: 'ready', ignored: true, atMs: T0 } }])
      .thenState(inState('ready'));
  });
});
