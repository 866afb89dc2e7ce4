import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { connectEventStoreDb } from '../../src/store/eventstoredb-store.js';
import { NOT_LEADER_TRIES } from '../../src/store/eventstoredb-errors.js';
import { LOG_START, StoreUnavailableError, type EventStore, type RecordedEvent } from '../../src/store/port.js';
import { startEsdbEmulator, type EmulatedFeatures, type EsdbEmulator } from '../support/esdb-emulator.js';
import { waitFor } from '../support/wait-for.js';

const unreachable = (error: unknown) => error instanceof StoreUnavailableError && error.reason === 'unreachable';
const event = (n: string) => ({ type: 'ThingHappened', data: { n } });

/**
 * Appends `n` until the store takes it, counting the refusals in `refused`; each refusal must be a
 * clear 'unreachable'. The bound on tries only makes a broken build fail instead of hanging.
 */
async function appendUntilTaken(store: EventStore, stream: string, n: string, refused: string[]): Promise<void> {
  while (refused.length < 500) {
    try {
      await store.appendToStream(stream, [event(n)], 'any');
      return;
    } catch (error) {
      assert.ok(unreachable(error), `a write while the server is down fails as unreachable, not ${String(error)}`);
      refused.push(n);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  assert.fail(`${n} was refused ${refused.length} times`);
}

for (const features of ['batch-append', 'none'] satisfies EmulatedFeatures[]) {
  describe(`EventStoreDB adapter recovering from the server (${features})`, () => {
    let emulator: EsdbEmulator;
    let store: EventStore;
    before(async () => {
      emulator = await startEsdbEmulator({ features });
      store = connectEventStoreDb(emulator.connectionString);
    });
    after(async () => {
      await store.close();
      await emulator.stop();
    });

    it('fails writes clearly while the server is down, takes them again once it is back, and keeps a subscription going with no gap or duplicate', async (t) => {
      const stream = `thing-${randomUUID().slice(0, 8)}`;
      const seen: RecordedEvent[] = [];
      const errors: Error[] = [];
      const subscription = store.subscribeToAll(LOG_START, { onEvent: (e) => void seen.push(e), onError: (e) => void errors.push(e) }, { streamPrefixes: [stream] });
      try {
        await store.appendToStream(stream, [event('before-1')], 'no_stream');
        await store.appendToStream(stream, [event('before-2')], 0);
        await waitFor(() => seen.length === 2);
        await emulator.goDown();
        await assert.rejects(store.appendToStream(stream, [event('during')], 1), unreachable);
        await assert.rejects(store.writeSnapshot(stream, { revision: 1, state: {} }), unreachable);
        await emulator.start();
        const refused: string[] = [];
        await appendUntilTaken(store, stream, 'during', refused);
        await store.appendToStream(stream, [event('after-1'), event('after-2')], 2);
        await waitFor(() => seen.length >= 5);
        t.diagnostic(`refused after the restart: ${refused.length}; calls: ${JSON.stringify(emulator.calls())}`);
        assert.deepEqual(
          seen.map((e) => (e.data as { n: string }).n),
          ['before-1', 'before-2', 'during', 'after-1', 'after-2'],
        );
        assert.deepEqual(
          (await store.readStream(stream)).map((e) => e.revision),
          [0, 1, 2, 3, 4],
        );
        assert.deepEqual(errors, []);
      } finally {
        await subscription.close();
      }
    });

    it('resumes a subscription from its last event across several restarts, catching up on what was written meanwhile', async () => {
      const stream = `thing-${randomUUID().slice(0, 8)}`;
      const seen: string[] = [];
      const subscription = store.subscribeToAll(LOG_START, { onEvent: (e) => void seen.push((e.data as { n: string }).n) }, { streamPrefixes: [stream] });
      const expected: string[] = [];
      try {
        for (let round = 0; round < 3; round += 1) {
          const names = [`${round}-a`, `${round}-b`];
          await appendUntilTaken(store, stream, names[0]!, []);
          await appendUntilTaken(store, stream, names[1]!, []);
          expected.push(...names);
          await waitFor(() => seen.length === expected.length);
          await emulator.restart();
        }
        await appendUntilTaken(store, stream, 'last', []);
        expected.push('last');
        await waitFor(() => seen.length >= expected.length);
        assert.deepEqual(seen, expected);
      } finally {
        await subscription.close();
      }
    });

    it('retries a write a follower refused with NotLeader, and it lands exactly once while a subscription goes on', async () => {
      const stream = `thing-${randomUUID().slice(0, 8)}`;
      const seen: string[] = [];
      const subscription = store.subscribeToAll(LOG_START, { onEvent: (e) => void seen.push((e.data as { n: string }).n) }, { streamPrefixes: [stream] });
      try {
        await store.appendToStream(stream, [event('first')], 'no_stream');
        await waitFor(() => seen.length === 1);
        const refusalsBefore = emulator.calls()['NotLeader'] ?? 0;
        emulator.actAsFollower(NOT_LEADER_TRIES - 1);
        const result = await store.appendToStream(stream, [event('once')], 0);
        assert.equal(result.nextRevision, 1);
        assert.equal((emulator.calls()['NotLeader'] ?? 0) - refusalsBefore, NOT_LEADER_TRIES - 1);
        await store.appendToStream(stream, [event('next')], 1);
        await waitFor(() => seen.length >= 3);
        assert.deepEqual(seen, ['first', 'once', 'next']);
        assert.deepEqual(
          (await store.readStream(stream)).map((e) => (e.data as { n: string }).n),
          ['first', 'once', 'next'],
        );
      } finally {
        await subscription.close();
      }
    });

    it('follows a NotLeader refusal to the other node it names, and keeps writing there', async () => {
      const leader = await startEsdbEmulator({ features, sameLogAs: emulator });
      const stream = `thing-${randomUUID().slice(0, 8)}`;
      try {
        emulator.actAsFollower(1, leader.port);
        await store.appendToStream(stream, [event('on-leader')], 'no_stream');
        await store.appendToStream(stream, [event('still-on-leader')], 0);
        const appendsOn = (node: EsdbEmulator) => (node.calls()['Streams.Append'] ?? 0) + (node.calls()['Streams.BatchAppend.appends'] ?? 0);
        assert.equal(appendsOn(leader), 2, `leader: ${JSON.stringify(leader.calls())}`);
        assert.deepEqual(
          (await store.readStream(stream)).map((e) => (e.data as { n: string }).n),
          ['on-leader', 'still-on-leader'],
        );
      } finally {
        await store.close();
        await leader.stop();
        store = connectEventStoreDb(emulator.connectionString); // the later tests start on the first node again
      }
    });

    it('gives up after a bounded number of NotLeader refusals with a clear unreachable error, storing nothing', async () => {
      const stream = `thing-${randomUUID().slice(0, 8)}`;
      const refusalsBefore = emulator.calls()['NotLeader'] ?? 0;
      emulator.actAsFollower(NOT_LEADER_TRIES + 5);
      try {
        await assert.rejects(store.appendToStream(stream, [event('never')], 'no_stream'), unreachable);
        assert.equal((emulator.calls()['NotLeader'] ?? 0) - refusalsBefore, NOT_LEADER_TRIES);
        assert.deepEqual(await store.readStream(stream), []);
      } finally {
        emulator.actAsFollower(0);
      }
    });
  });
}
