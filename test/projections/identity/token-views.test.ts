import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TokenEvent } from '../../../src/domain/identity/token-events.js';
import { createTokenViews } from '../../../src/projections/identity/token-views.js';
import type { RecordedEvent } from '../../../src/store/port.js';

const T0 = Date.UTC(2030, 0, 1);
let position = 0n;

function recorded(hash: string, revision: number, event: TokenEvent): RecordedEvent {
  position++;
  return { id: String(position), stream: `token-${hash}`, revision, type: event.type, data: event.data, metadata: {}, position, createdAtMs: T0 };
}

function given(...events: RecordedEvent[]) {
  const views = createTokenViews();
  for (const event of events) views.apply(event);
  return views;
}

describe('token views', () => {
  it('answers by hash and by user, with last use and revocation', () => {
    const views = given(
      recorded('b', 0, { type: 'TokenCreated', data: { user: 'alice', roles: ['user'], atMs: T0 + 2 } }),
      recorded('a', 0, { type: 'TokenCreated', data: { user: 'alice', roles: ['user'], atMs: T0 + 1 } }),
      recorded('c', 0, { type: 'TokenCreated', data: { user: 'bob', roles: ['admin'], atMs: T0 } }),
      recorded('a', 1, { type: 'TokenUsed', data: { atMs: T0 + 60_000 } }),
      recorded('b', 1, { type: 'TokenRevoked', data: { atMs: T0 + 3, by: 'bob' } }),
    );
    assert.deepEqual(views.get('a'), { hash: 'a', user: 'alice', roles: ['user'], createdAtMs: T0 + 1, lastUsedAtMs: T0 + 60_000, revoked: false });
    assert.equal(views.get('b')?.revoked, true);
    assert.deepEqual(
      views.ofUser('alice').map((view) => view.hash),
      ['a', 'b'],
    );
    assert.deepEqual(
      views.ofUser('bob').map((view) => view.hash),
      ['c'],
    );
    assert.deepEqual(views.ofUser('nobody'), []);
    assert.equal(views.get('zzz'), undefined);
  });
});
