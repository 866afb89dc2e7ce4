import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTokenDecider } from '../../../src/domain/identity/token-decider.js';
import type { TokenEvent } from '../../../src/domain/identity/token-events.js';
import { givenDecider } from '../../support/given-when-then.js';

const T0 = Date.UTC(2030, 0, 1);
const MINUTE = 60_000;
const decider = createTokenDecider(MINUTE);
const created: TokenEvent = { type: 'TokenCreated', data: { user: 'alice', roles: ['operator'], atMs: T0 } };
const usedAt = (atMs: number): TokenEvent => ({ type: 'TokenUsed', data: { atMs } });
const revoked: TokenEvent = { type: 'TokenRevoked', data: { atMs: T0 + 5, by: 'alice' } };

describe('token decider', () => {
  it('creates a token for a user with their roles, once', () => {
    givenDecider(decider)
      .when({ type: 'CreateToken', user: 'alice', roles: ['operator'], nowMs: T0 })
      .thenEvents([created])
      .thenState((state) => assert.deepEqual(state, { status: 'active', user: 'alice', roles: ['operator'], createdAtMs: T0, lastUsedAtMs: null }))
      .when({ type: 'CreateToken', user: 'mallory', roles: ['admin'], nowMs: T0 + 1 })
      .thenRejected('token_exists');
  });

  it('records a use at most once per interval', () => {
    givenDecider(decider)
      .given(created)
      .when({ type: 'RecordTokenUse', nowMs: T0 + 10 })
      .thenEvents([usedAt(T0 + 10)])
      .when({ type: 'RecordTokenUse', nowMs: T0 + 10 + MINUTE - 1 })
      .thenNothing()
      .when({ type: 'RecordTokenUse', nowMs: T0 + 10 + MINUTE })
      .thenEvents([usedAt(T0 + 10 + MINUTE)])
      .thenState((state) => state.status === 'active' && state.lastUsedAtMs === T0 + 10 + MINUTE);
  });

  it('never moves "last used" back when the clock steps back', () => {
    givenDecider(decider)
      .given(created, usedAt(T0 + 5 * MINUTE))
      .when({ type: 'RecordTokenUse', nowMs: T0 + MINUTE })
      .thenNothing();
  });

  it('records no use of an unknown or revoked token', () => {
    givenDecider(decider).when({ type: 'RecordTokenUse', nowMs: T0 }).thenRejected('unknown_token');
    givenDecider(decider)
      .given(created, revoked)
      .when({ type: 'RecordTokenUse', nowMs: T0 + MINUTE })
      .thenRejected('revoked');
  });

  it('lets the owner revoke a token, once', () => {
    givenDecider(decider)
      .given(created)
      .when({ type: 'RevokeToken', by: 'alice', byAdmin: false, nowMs: T0 + 5 })
      .thenEvents([revoked])
      .thenState((state) => state.status === 'revoked' && state.revokedBy === 'alice' && decider.isFinal?.(state) === true)
      .when({ type: 'RevokeToken', by: 'alice', byAdmin: false, nowMs: T0 + 6 })
      .thenRejected('revoked');
  });

  it("lets an admin revoke anyone's token, and nobody else", () => {
    givenDecider(decider)
      .given(created)
      .when({ type: 'RevokeToken', by: 'mallory', byAdmin: false, nowMs: T0 })
      .thenRejected('forbidden', /only alice or an admin/);
    givenDecider(decider)
      .given(created)
      .when({ type: 'RevokeToken', by: 'root', byAdmin: true, nowMs: T0 + 1 })
      .thenEvents([{ type: 'TokenRevoked', data: { atMs: T0 + 1, by: 'root' } }]);
    givenDecider(decider).when({ type: 'RevokeToken', by: 'root', byAdmin: true, nowMs: T0 }).thenRejected('unknown_token');
  });
});
