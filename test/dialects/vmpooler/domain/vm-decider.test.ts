import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { vmDecider, vmExpiresAtMs } from '../../../../src/dialects/vmpooler/domain/vm-decider.js';
import type { VmCommand, VmEvent } from '../../../../src/dialects/vmpooler/domain/vm-events.js';
import { givenDecider } from '../../../support/given-when-then.js';

const T0 = Date.UTC(2030, 0, 1);
const HOUR = 3_600_000;
const checkOut: VmCommand = { type: 'CheckOut', id: 'abcdefghij12345', pool: 'centos', device: 'sim-0001', user: 'jdoe', tokenHash: 'f'.repeat(64), lifetimeH: 2, nowMs: T0 };
const checkedOut: VmEvent = { type: 'VmCheckedOut', data: { id: 'abcdefghij12345', pool: 'centos', device: 'sim-0001', user: 'jdoe', tokenHash: 'f'.repeat(64), lifetimeH: 2, atMs: T0 } };

describe('vm decider', () => {
  it('records a checkout with its user, token hash and lifetime, and expires at checkout + lifetime', () => {
    givenDecider(vmDecider)
      .when(checkOut)
      .thenEvents([checkedOut])
      .thenState((state) => vmExpiresAtMs(state) === T0 + 2 * HOUR && vmDecider.nextDeadline?.(state)?.atMs === T0 + 2 * HOUR);
  });

  it('takes the same checkout twice as one, and refuses another on the same id', () => {
    givenDecider(vmDecider).given(checkedOut).when(checkOut).thenNothing();
    givenDecider(vmDecider)
      .given(checkedOut)
      .when({ ...checkOut, device: 'sim-0002' })
      .thenRejected('conflict');
  });

  it('refuses a lifetime of 0 hours or less', () => {
    givenDecider(vmDecider)
      .when({ ...checkOut, lifetimeH: 0 })
      .thenRejected('bad_lifetime');
    givenDecider(vmDecider).given(checkedOut).when({ type: 'SetLifetime', lifetimeH: -1, nowMs: T0 }).thenRejected('bad_lifetime');
  });

  it('moves the expiry with a new lifetime, and ignores the old deadline', () => {
    const outcome = givenDecider(vmDecider)
      .given(checkedOut)
      .when({ type: 'SetLifetime', lifetimeH: 5, nowMs: T0 + HOUR })
      .thenEventTypes('VmLifetimeSet');
    assert.equal(vmDecider.nextDeadline?.(outcome.state)?.atMs, T0 + 5 * HOUR);
    outcome.when({ type: 'Timeout', deadline: { name: 'expiry', atMs: T0 + 2 * HOUR }, nowMs: T0 + 2 * HOUR }).thenNothing();
  });

  it('expires once the lifetime has passed, and then has no deadline and refuses changes', () => {
    givenDecider(vmDecider)
      .given(checkedOut)
      .when({ type: 'Timeout', deadline: { name: 'expiry', atMs: T0 + 2 * HOUR }, nowMs: T0 + 2 * HOUR })
      .thenEvents([{ type: 'VmDeleted', data: { reason: 'expired', atMs: T0 + 2 * HOUR } }])
      .thenState((state) => vmDecider.nextDeadline?.(state) === undefined && vmDecider.isFinal?.(state) === true)
      .when({ type: 'Tag', tags: { a: 'b' }, nowMs: T0 + 3 * HOUR })
      .thenRejected('not_found');
  });

  it('merges tags and records only what changed', () => {
    givenDecider(vmDecider)
      .given(checkedOut, { type: 'VmTagged', data: { tags: { department: 'qa' }, atMs: T0 } })
      .when({ type: 'Tag', tags: { department: 'qa', user: 'jdoe' }, nowMs: T0 })
      .thenEvents([{ type: 'VmTagged', data: { tags: { user: 'jdoe' }, atMs: T0 } }])
      .thenState((state) => assert.deepEqual(state.tags, { department: 'qa', user: 'jdoe' }))
      .when({ type: 'Tag', tags: { user: 'jdoe' }, nowMs: T0 })
      .thenNothing();
  });

  it('lists disks and snapshots, and reverts only to a snapshot it has', () => {
    givenDecider(vmDecider)
      .given(checkedOut)
      .when({ type: 'AddDisk', sizeGb: 8, nowMs: T0 })
      .when({ type: 'Snapshot', snapshot: 's'.repeat(32), nowMs: T0 })
      .thenState((state) => assert.deepEqual([state.disks, state.snapshots], [['+8gb'], ['s'.repeat(32)]]))
      .when({ type: 'Revert', snapshot: 'x'.repeat(32), nowMs: T0 })
      .thenRejected('not_found');
  });

  it('deletes once: a second delete changes nothing, an unknown vm is not found', () => {
    givenDecider(vmDecider)
      .given(checkedOut)
      .when({ type: 'Delete', reason: 'deleted', nowMs: T0 + HOUR })
      .thenEvents([{ type: 'VmDeleted', data: { reason: 'deleted', atMs: T0 + HOUR } }])
      .when({ type: 'Delete', reason: 'deleted', nowMs: T0 + HOUR })
      .thenNothing();
    givenDecider(vmDecider).when({ type: 'Delete', reason: 'deleted', nowMs: T0 }).thenRejected('not_found');
  });
});
