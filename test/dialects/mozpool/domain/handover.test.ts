import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { T0, pending, ready, requestDecider } from './request-fixtures.js';

// The fixtures' requests belong to lab1:8010.
const OLD = 'lab1:8010';
const NEW = 'lab2:8010';
const handOver = (nowMs = T0 + 50, from = OLD, to = NEW) => ({ type: 'HandOver', from, to, nowMs }) as const;

describe('request: handover of a dead server’s requests', () => {
  it('moves the request to the new server, its state and deadline unchanged', () => {
    const before = pending();
    before
      .when(handOver())
      .thenEvents([{ type: 'RequestHandedOver', data: { from: OLD, to: NEW, atMs: T0 + 50 } }])
      .thenState((state) => {
        assert.equal(state.imagingServer, NEW);
        assert.equal(state.state, 'pending');
        assert.deepEqual(requestDecider.nextDeadline?.(state), requestDecider.nextDeadline?.(before.state));
      });
  });

  it('a handover sent again changes nothing', () => {
    ready()
      .send(handOver())
      .when(handOver(T0 + 60))
      .thenNothing();
  });

  it('refuses a handover from a server that does not own it, to the same server, or of a closed request', () => {
    ready()
      .when(handOver(T0 + 50, 'lab3:8010'))
      .thenRejected('not_owner', /belongs to lab1:8010, not lab3:8010/);
    ready()
      .when(handOver(T0 + 50, OLD, OLD))
      .thenRejected('same_server');
    ready()
      .send((_, nowMs) => ({ type: 'Return', nowMs }))
      .when(handOver())
      .thenRejected('closed');
  });
});
