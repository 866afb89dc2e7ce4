import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createActorSystem } from '../../src/actors/actor-system.js';
import { hashToken } from '../../src/identity/api-tokens.js';
import { createIdentity, type Identity } from '../../src/identity/identity.js';
import { createUserDirectory } from '../../src/identity/user-directory.js';
import { createProjectionRunner } from '../../src/projections/projection-runner.js';
import { createEventStore } from '../../src/store/create-store.js';
import type { EventStore } from '../../src/store/port.js';
import { refuseWrites } from '../support/store-faults.js';

const T0 = Date.UTC(2030, 0, 1);
const MINUTE = 60_000;
/** OpenBSD's bcrypt vector ("U*U"); authentication is not what these tests are about. */
const HASH = '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW';
const alice = { name: 'alice', roles: ['operator'] } as const;
const bob = { name: 'bob', roles: ['user'] } as const;
const root = { name: 'root', roles: ['admin'] } as const;

const dir = mkdtempSync(join(tmpdir(), 'labpool-tokens-'));
after(() => rmSync(dir, { recursive: true, force: true }));

type Running = { readonly identity: Identity; readonly stop: () => Promise<void> };

/** The identity parts on a real SQLite file, with a settable clock; `users` are the configured ones. */
async function start(path: string, clock: { nowMs: number }, users = [alice, bob, root], wrapStore = (store: EventStore) => store): Promise<Running> {
  const store = wrapStore(createEventStore({ kind: 'sqlite', path, synchronous: 'NORMAL' }));
  const system = createActorSystem({ store, nowMs: () => clock.nowMs, idleShutdownMs: 0 });
  const directory = createUserDirectory(users.map((user) => ({ ...user, hash: HASH })));
  const identity = createIdentity({ users: directory, system, tokenUseIntervalMs: MINUTE, waitFor: (position) => projections.waitFor(position), nowMs: () => clock.nowMs });
  const projections = createProjectionRunner(store, [identity.tokenViews]);
  await projections.start();
  return {
    identity,
    async stop() {
      await system.stop();
      await projections.stop();
      await store.close();
    },
  };
}

describe('token service', () => {
  it('creates, verifies, lists and revokes tokens; a revoked token no longer verifies', async () => {
    const clock = { nowMs: T0 };
    const { identity, stop } = await start(join(dir, 'lifecycle.db'), clock);
    try {
      const { tokens } = identity;
      const token = await tokens.create(alice);
      assert.match(token, /^[a-z0-9]{32}$/);
      const hash = hashToken(token);
      assert.deepEqual(await tokens.verify(token), { user: 'alice', roles: ['operator'], hash });
      const second = await tokens.create(alice);
      assert.notEqual(second, token);
      assert.deepEqual(
        tokens.list('alice').map((view) => view.hash),
        [hash, hashToken(second)],
      );
      assert.deepEqual(tokens.list('bob'), []);
      assert.deepEqual(tokens.describe(token), { hash, user: 'alice', roles: ['operator'], createdAtMs: T0, lastUsedAtMs: T0, revoked: false });

      assert.deepEqual(await tokens.revoke(token, bob), { ok: false, code: 'forbidden', message: 'only alice or an admin may revoke this token' });
      assert.deepEqual(await tokens.revoke(token, alice), { ok: true });
      assert.equal(await tokens.verify(token), undefined);
      assert.equal(tokens.describe(token)?.revoked, true);
      assert.deepEqual((await tokens.revoke(token, alice)).ok, false);
      assert.deepEqual(await tokens.revoke(second, root), { ok: true }, 'an admin revokes anyone’s token');
      assert.deepEqual(tokens.list('alice'), []);
    } finally {
      await stop();
    }
  });

  it('refuses malformed and unknown tokens without a lookup', async () => {
    const clock = { nowMs: T0 };
    const { identity, stop } = await start(join(dir, 'malformed.db'), clock);
    try {
      for (const token of ['', 'short', 'A'.repeat(32), `${'a'.repeat(31)}-`, 'a'.repeat(33)]) {
        assert.equal(await identity.tokens.verify(token), undefined, token);
        assert.equal(identity.tokens.describe(token), undefined, token);
      }
      assert.equal(await identity.tokens.verify('a'.repeat(32)), undefined);
      assert.deepEqual(await identity.tokens.revoke('a'.repeat(32), root), { ok: false, code: 'unknown_token', message: 'no such token' });
    } finally {
      await stop();
    }
  });

  it('keeps tokens over a restart on the same file; an owner gone from the users loses them', async () => {
    const clock = { nowMs: T0 };
    const path = join(dir, 'restart.db');
    const first = await start(path, clock);
    const token = await first.identity.tokens.create(bob);
    const revoked = await first.identity.tokens.create(bob);
    await first.identity.tokens.revoke(revoked, bob);
    await first.stop();

    clock.nowMs = T0 + MINUTE;
    const second = await start(path, clock);
    try {
      assert.deepEqual(await second.identity.tokens.verify(token), { user: 'bob', roles: ['user'], hash: hashToken(token) });
      assert.equal(await second.identity.tokens.verify(revoked), undefined);
      assert.equal(second.identity.tokens.describe(token)?.createdAtMs, T0);
    } finally {
      await second.stop();
    }
    const withoutBob = await start(path, clock, [alice]);
    try {
      assert.equal(await withoutBob.identity.tokens.verify(token), undefined);
    } finally {
      await withoutBob.stop();
    }
  });

  it('verifies a known token while the store cannot write: its use is recorded by a later one', async () => {
    const clock = { nowMs: T0 };
    const faults = refuseWrites('full');
    const { identity, stop } = await start(join(dir, 'full.db'), clock, undefined, faults.wrap);
    try {
      const token = await identity.tokens.create(alice);
      faults.refusing = true;
      clock.nowMs = T0 + 1_000;
      assert.equal((await identity.tokens.verify(token))?.user, 'alice');
      assert.equal(faults.refused(), 1, 'the use was tried');
      assert.equal(identity.tokens.describe(token)?.lastUsedAtMs, null);
      faults.refusing = false;
      clock.nowMs = T0 + 2_000;
      assert.equal((await identity.tokens.verify(token))?.user, 'alice');
      assert.equal(identity.tokens.describe(token)?.lastUsedAtMs, T0 + 2_000);
    } finally {
      await stop();
    }
  });

  it('records "last used" at most once per interval, by the injected clock', async () => {
    const clock = { nowMs: T0 };
    const { identity, stop } = await start(join(dir, 'throttle.db'), clock);
    try {
      const token = await identity.tokens.create(alice);
      const lastUsed = () => identity.tokens.describe(token)?.lastUsedAtMs;
      assert.equal(lastUsed(), null);
      clock.nowMs = T0 + 1_000;
      await identity.tokens.verify(token);
      assert.equal(lastUsed(), T0 + 1_000);
      clock.nowMs = T0 + 1_000 + MINUTE - 1;
      await identity.tokens.verify(token);
      assert.equal(lastUsed(), T0 + 1_000, 'within the interval: not recorded');
      clock.nowMs = T0 + 1_000 + MINUTE;
      await identity.tokens.verify(token);
      assert.equal(lastUsed(), T0 + 1_000 + MINUTE);
      const store = createEventStore({ kind: 'sqlite', path: join(dir, 'throttle.db'), synchronous: 'NORMAL' });
      try {
        const events = await store.readStream(`token-${hashToken(token)}`);
        assert.deepEqual(
          events.map((event) => event.type),
          ['TokenCreated', 'TokenUsed', 'TokenUsed'],
        );
        assert.equal(events[0]?.metadata.actor, 'alice');
        assert.ok(!JSON.stringify(events.map((event) => [event.stream, event.data, event.metadata])).includes(token), 'the token itself is never stored');
      } finally {
        await store.close();
      }
    } finally {
      await stop();
    }
  });
});
