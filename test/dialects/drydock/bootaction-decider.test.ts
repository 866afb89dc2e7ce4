import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sameBootactionKey } from '../../../src/dialects/drydock/bootactions/bootaction-key.js';
import { createBootactionDecider } from '../../../src/dialects/drydock/domain/bootaction-decider.js';
import type { BootactionCommand, BootactionEvent } from '../../../src/dialects/drydock/domain/bootaction-events.js';
import { givenDecider } from '../../support/given-when-then.js';

const T0 = Date.UTC(2030, 0, 1);
const KEY = 'ab'.repeat(32);
const OTHER_KEY = 'cd'.repeat(32);
const decider = createBootactionDecider(sameBootactionKey);
const asset = { path: '/etc/labpool/hello.json', type: 'file', permissions: 0o644, data: '{}' } as const;
const issue: BootactionCommand = {
  type: 'Issue',
  actionId: '01HZY0000000000000000000AA',
  actionName: 'sim-hello',
  node: 'sim-0001',
  taskId: 'task-1',
  key: KEY,
  signaling: true,
  assets: [asset],
  reportUrl: 'http://labpool/api/v1.0/bootaction',
  nowMs: T0,
};
const issuedEvent = (signaling = true): BootactionEvent => {
  const { type: _type, nowMs: _nowMs, ...rest } = issue;
  return { type: 'BootactionIssued', data: { ...rest, signaling, status: signaling ? 'pending' : 'unreported', atMs: T0 } };
};
const report = (key: string | null, body: unknown): BootactionCommand => ({ type: 'Report', key, body, nowMs: T0 + 1_000 });
const hello = { message: 'hello', error: false };
const reported: BootactionEvent = { type: 'BootactionReported', data: { status: 'success', details: [], atMs: T0 } };

describe('bootaction decider', () => {
  it('issues a signalling action as pending and another as unreported', () => {
    givenDecider(decider)
      .when(issue)
      .thenEvents([issuedEvent(true)])
      .thenState((state) => state.status === 'pending' && state.key === KEY);
    givenDecider(decider)
      .when({ ...issue, signaling: false })
      .thenEvents([issuedEvent(false)])
      .thenState((state) => state.status === 'unreported' && decider.isFinal?.(state) === true);
  });

  it('takes the same issue twice as one, refuses another on the same id and a malformed key', () => {
    givenDecider(decider).given(issuedEvent()).when(issue).thenNothing();
    givenDecider(decider)
      .given(issuedEvent())
      .when({ ...issue, key: OTHER_KEY })
      .thenRejected('conflict');
    givenDecider(decider)
      .when({ ...issue, key: 'XYZ' })
      .thenRejected('bad_key');
  });

  it('answers not_found for a report on an action never issued', () => {
    givenDecider(decider).when(report(KEY, {})).thenRejected('not_found');
  });

  it('accepts detail-only reports, repeatedly, then the first status is final', () => {
    givenDecider(decider)
      .given(issuedEvent())
      .when(report(KEY, { details: [hello] }))
      .thenEvents([{ type: 'BootactionDetailsAdded', data: { details: [{ ...hello, extra: {} }], atMs: T0 + 1_000 } }])
      .when(report(KEY, { details: [{ message: 'again', error: true, step: 2 }] }))
      .thenEvents([{ type: 'BootactionDetailsAdded', data: { details: [{ message: 'again', error: true, extra: { step: 2 } }], atMs: T0 + 1_000 } }])
      .when(report(KEY, { status: 'Success', details: [hello] }))
      .thenEvents([{ type: 'BootactionReported', data: { status: 'success', details: [{ ...hello, extra: {} }], atMs: T0 + 1_000 } }])
      .thenState((state) => state.status === 'success' && state.detailCount === 3 && decider.isFinal?.(state) === true)
      .when(report(KEY, { details: [hello] }))
      .thenRejected('final');
  });

  it('lowercases each spelling of the status and takes a status without details', () => {
    for (const [given, status] of [
      ['Success', 'success'],
      ['success', 'success'],
      ['Failure', 'failure'],
      ['failure', 'failure'],
    ] as const) {
      givenDecider(decider)
        .given(issuedEvent())
        .when(report(KEY, { status: given }))
        .thenEvents([{ type: 'BootactionReported', data: { status, details: [], atMs: T0 + 1_000 } }]);
    }
  });

  it('accepts an empty report without storing anything', () => {
    givenDecider(decider).given(issuedEvent()).when(report(KEY, {})).thenNothing();
  });

  it('refuses a missing key, then a wrong one, a non-hex or short one, in any case of hex only the right bytes', () => {
    const given = givenDecider(decider).given(issuedEvent());
    given.when(report(null, { details: [hello] })).thenRejected('no_key');
    given.when(report(OTHER_KEY, { details: [hello] })).thenRejected('wrong_key');
    given.when(report('zz'.repeat(32), { details: [hello] })).thenRejected('wrong_key');
    given.when(report(KEY.slice(2), { details: [hello] })).thenRejected('wrong_key');
    given.when(report(`${KEY}00`, { details: [hello] })).thenRejected('wrong_key');
    given.when(report('', { details: [hello] })).thenRejected('wrong_key');
    given.when(report(KEY.toUpperCase(), { details: [hello] })).thenEventTypes('BootactionDetailsAdded');
  });

  it('refuses bad bodies', () => {
    const given = givenDecider(decider).given(issuedEvent());
    const bad = [
      null,
      [],
      'text',
      { status: 'SUCCESS' },
      { status: 'done' },
      { status: null },
      { status: true },
      { details: {} },
      { details: [{ message: 'm' }] },
      { details: [{ error: false }] },
      { details: [{ message: 1, error: false }] },
      { details: [{ message: 'm', error: 'no' }] },
      { details: ['m'] },
      { details: [{ message: 'm', error: false, context: 'x' }] },
      { details: [{ message: 'm', error: false, context_type: 'x' }] },
      { details: [{ message: 'm', error: false, ts: 'x' }] },
      { context: 'x' },
      { context_type: 'x' },
      { ts: 'x' },
      { status: 'success', extra: 1 },
    ];
    for (const body of bad) assert.equal(decider.decide(report(KEY, body), given.state).ok, false, JSON.stringify(body));
    for (const body of bad) given.when(report(KEY, body)).thenRejected('bad_body');
  });

  it('checks in order: no key before a wrong key before a bad body before final', () => {
    const open = givenDecider(decider).given(issuedEvent());
    const closed = givenDecider(decider).given(issuedEvent(), reported);
    const unreported = givenDecider(decider).given(issuedEvent(false));
    const badBody = { status: 'nope' };
    open.when(report(null, badBody)).thenRejected('no_key');
    open.when(report(OTHER_KEY, badBody)).thenRejected('wrong_key');
    open.when(report('not-hex', badBody)).thenRejected('wrong_key');
    closed.when(report(null, { status: 'success' })).thenRejected('no_key');
    closed.when(report(OTHER_KEY, { status: 'success' })).thenRejected('wrong_key');
    closed.when(report(KEY, badBody)).thenRejected('bad_body');
    closed.when(report(KEY, { status: 'success' })).thenRejected('final');
    unreported.when(report(null, {})).thenRejected('no_key');
    unreported.when(report(OTHER_KEY, {})).thenRejected('wrong_key');
    unreported.when(report(KEY, badBody)).thenRejected('bad_body');
    unreported.when(report(KEY, { details: [hello] })).thenRejected('final');
    unreported.when(report(KEY, { status: 'failure' })).thenRejected('final');
  });
});
