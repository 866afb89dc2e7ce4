import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { missingFor, ondemandDecider, type OndemandEvent } from '../../../../src/dialects/vmpooler/domain/ondemand-decider.js';
import { givenDecider } from '../../../support/given-when-then.js';

const T0 = Date.UTC(2030, 0, 1);
const TIMEOUT_MS = 5 * 60_000;

const requested: OndemandEvent = {
  type: 'OndemandRequested',
  data: {
    id: 'r1',
    wants: [
      { name: 'ubuntu', count: 2 },
      { name: 'centos', count: 1 },
    ],
    user: null,
    tokenHash: null,
    atMs: T0,
    deadlineAtMs: T0 + TIMEOUT_MS,
  },
};
const vm = (name: string, vmId: string) => ({ type: 'RecordVm', name, vmId, pool: `${name}-pool`, device: `dev-${vmId}`, nowMs: T0 + 1 }) as const;

describe('on-demand decider', () => {
  it('records a request with its deadline, and refuses the same id twice (409)', () => {
    givenDecider(ondemandDecider)
      .when({ type: 'Request', id: 'r1', wants: requested.data.wants, user: null, tokenHash: null, timeoutMs: TIMEOUT_MS, nowMs: T0 })
      .thenEvents([requested])
      .thenState((state) => ondemandDecider.nextDeadline?.(state)?.atMs === T0 + TIMEOUT_MS)
      .when({ type: 'Request', id: 'r1', wants: [{ name: 'x', count: 1 }], user: null, tokenHash: null, timeoutMs: TIMEOUT_MS, nowMs: T0 })
      .thenRejected('conflict');
  });

  it('refuses an empty request and a zero count', () => {
    givenDecider(ondemandDecider).when({ type: 'Request', id: 'r', wants: [], user: null, tokenHash: null, timeoutMs: 1, nowMs: T0 }).thenRejected('bad_request');
    givenDecider(ondemandDecider)
      .when({ type: 'Request', id: 'r', wants: [{ name: 'a', count: 0 }], user: null, tokenHash: null, timeoutMs: 1, nowMs: T0 })
      .thenRejected('bad_request');
  });

  it('fills host by host: the last one wanted marks it filled, and no deadline remains', () => {
    givenDecider(ondemandDecider)
      .given(requested)
      .when(vm('ubuntu', 'a'))
      .thenEventTypes('OndemandVmAllocated')
      .thenState((state) => missingFor(state, 'ubuntu') === 1 && state.status === 'pending')
      .when(vm('ubuntu', 'a'))
      .thenNothing()
      .when(vm('ubuntu', 'b'))
      .thenEventTypes('OndemandVmAllocated')
      .when(vm('ubuntu', 'c'))
      .thenRejected('not_wanted')
      .when(vm('centos', 'd'))
      .thenEventTypes('OndemandVmAllocated', 'OndemandFilled')
      .thenState((state) => state.status === 'ready' && ondemandDecider.nextDeadline?.(state) === undefined)
      .when({ type: 'Timeout', deadline: { name: 'fill', atMs: T0 + TIMEOUT_MS }, nowMs: T0 + TIMEOUT_MS })
      .thenNothing();
  });

  it('fails at its deadline, not before; a failed request takes no more hosts', () => {
    givenDecider(ondemandDecider)
      .given(requested)
      .when({ type: 'Timeout', deadline: { name: 'fill', atMs: T0 + TIMEOUT_MS }, nowMs: T0 + TIMEOUT_MS - 1 })
      .thenNothing()
      .when({ type: 'Timeout', deadline: { name: 'fill', atMs: T0 + TIMEOUT_MS }, nowMs: T0 + TIMEOUT_MS })
      .thenEvents([{ type: 'OndemandFailed', data: { reason: 'timeout', atMs: T0 + TIMEOUT_MS } }])
      .when(vm('ubuntu', 'a'))
      .thenRejected('not_pending');
  });

  it('deletes once; a deleted request is final and takes no more hosts', () => {
    const deleted = givenDecider(ondemandDecider)
      .given(requested)
      .when({ type: 'Delete', nowMs: T0 + 2 })
      .thenEventTypes('OndemandDeleted')
      .when({ type: 'Delete', nowMs: T0 + 3 })
      .thenNothing();
    assert.equal(ondemandDecider.isFinal?.(deleted.state), true);
    givenDecider(ondemandDecider)
      .given(requested, { type: 'OndemandDeleted', data: { atMs: T0 } })
      .when(vm('ubuntu', 'a'))
      .thenRejected('not_pending');
  });

  it('knows nothing of an unknown request', () => {
    givenDecider(ondemandDecider).when({ type: 'Delete', nowMs: T0 }).thenRejected('not_found');
    givenDecider(ondemandDecider).when(vm('ubuntu', 'a')).thenRejected('not_found');
  });
});
