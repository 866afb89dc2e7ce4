import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createActorSystem, type ActorSystem, type ActorSystemOptions } from '../../src/actors/actor-system.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { WrongExpectedRevisionError, type EventStore } from '../../src/store/port.js';
import { counterActor } from '../support/counter-decider.js';
import { refuseWrites } from '../support/store-faults.js';
import { waitFor } from '../support/wait-for.js';

describe('persistent actor shell', () => {
  let dir: string;
  let path: string;
  const open: { system: ActorSystem; store: EventStore }[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'labpool-actors-'));
    path = join(dir, 'events.db');
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map(({ system, store }) => closeBoth(system, store)));
    rmSync(dir, { recursive: true, force: true });
  });

  async function closeBoth(system: ActorSystem, store: EventStore): Promise<void> {
    await system.stop();
    await store.close();
  }

  function start(options: Partial<ActorSystemOptions> = {}, store: EventStore = openSqliteStore({ path })) {
    const system = createActorSystem({ store, serverId: 'test:1', onError: () => undefined, ...options });
    open.push({ system, store });
    return { system, store, counters: system.register(counterActor) };
  }

  async function restart(previous: { system: ActorSystem; store: EventStore }, options: Partial<ActorSystemOptions> = {}) {
    open.splice(
      open.findIndex((o) => o.system === previous.system),
      1,
    );
    await closeBoth(previous.system, previous.store);
    return start(options);
  }

  it('keeps the same state after a restart on the same store file', async () => {
    const first = start();
    for (let i = 1; i <= 5; i++) assert.equal((await first.counters.ask('a', { type: 'Increment', by: i })).ok, true);
    const rejected = await first.counters.ask('a', { type: 'Increment', by: -1 });
    assert.equal(rejected.ok, false);
    assert.equal(!rejected.ok && rejected.rejection.code, 'bad_increment');
    const before = await first.counters.read('a');
    assert.equal(first.system.stats().asks, 6, 'commands asked, reads not counted');
    const second = await restart(first);
    assert.deepEqual(await second.counters.read('a'), before);
    assert.deepEqual(before, { state: { count: 15, alarmAtMs: null, rang: 0 }, revision: 4 });
    const [recorded] = await second.store.readStream('counter-a');
    assert.equal(recorded?.metadata.server, 'test:1');
  });

  it('skips an event type a newer version wrote, and keeps folding and appending after it', async () => {
    const { counters, store } = start();
    const incremented = (by: number) => ({ type: 'Incremented', data: { by, nonce: null }, metadata: {} });
    await store.appendToStream('counter-n', [incremented(2), { type: 'CounterPainted', data: { colour: 'red' }, metadata: {} }, incremented(3)], 'no_stream');
    assert.deepEqual(await counters.read('n'), { state: { count: 5, alarmAtMs: null, rang: 0 }, revision: 2 });
    const outcome = await counters.ask('n', { type: 'Increment', by: 1 });
    assert.deepEqual(outcome.ok && [outcome.state.count, outcome.revision], [6, 3]);
  });

  it('stamps the caller metadata on every event of a decision', async () => {
    const { counters, store } = start();
    const outcome = await counters.ask('meta', { type: 'Increment', by: 1 }, { correlationId: 'req-7', actor: 'alice' });
    assert.equal(outcome.ok && outcome.position !== undefined, true);
    const [recorded] = await store.readStream('counter-meta');
    assert.deepEqual(recorded?.metadata, { correlationId: 'req-7', actor: 'alice', server: 'test:1' });
  });

  it('snapshots every N events and loads from the latest snapshot plus the events after it', async () => {
    const first = start({ snapshotEvery: 10 });
    for (let i = 0; i < 25; i++) await first.counters.ask('snap', { type: 'Increment', by: 1 });
    const snapshot = await first.store.readSnapshot('counter-snap');
    assert.equal(snapshot?.revision, 19);
    assert.deepEqual(snapshot?.state, { version: 1, state: { count: 20, alarmAtMs: null, rang: 0 } });
    // Proof that loading starts at the snapshot: a doctored one shows through, plus the 5 later events.
    await first.store.writeSnapshot('counter-snap', { revision: 19, state: { version: 1, state: { count: 1000, alarmAtMs: null, rang: 0 } } });
    const second = await restart(first, { snapshotEvery: 10 });
    assert.equal((await second.counters.read('snap')).state.count, 1005);
  });

  it('ignores a snapshot written for another state version', async () => {
    const first = start({ snapshotEvery: 2 });
    for (let i = 0; i < 3; i++) await first.counters.ask('ver', { type: 'Increment', by: 1 });
    await first.store.writeSnapshot('counter-ver', { revision: 2, state: { version: 99, state: { count: 1000 } } });
    const second = await restart(first);
    assert.equal((await second.counters.read('ver')).state.count, 3);
  });

  it('fires a deadline set before shutdown after the restart', async () => {
    const first = start();
    const atMs = Date.now() + 500;
    await first.counters.ask('alarm', { type: 'SetAlarm', atMs });
    const second = await restart(first, { serverId: 'test:2' });
    await second.counters.read('alarm');
    await waitFor(async () => (await second.counters.read('alarm')).state.rang === 1, 5_000);
    const rang = (await second.store.readStream('counter-alarm')).at(-1);
    assert.equal(rang?.type, 'AlarmRang');
    assert.ok((rang?.data as { rangAtMs: number }).rangAtMs >= atMs, 'fired before its deadline');
    assert.equal(rang?.metadata.actor, 'deadline');
    assert.equal(rang?.metadata.server, 'test:2', 'fired by the restarted system');
    assert.equal(second.system.stats().armedDeadlines, 0);
  });

  it('reloads after an append the store refused, and fires a deadline whose Timeout it refused once it writes again', async () => {
    const faults = refuseWrites('full');
    const { counters, store } = start({ deadlineRetryMs: 20 }, faults.wrap(openSqliteStore({ path })));
    await counters.ask('full', { type: 'Increment', by: 2 });
    const atMs = Date.now() + 50;
    await counters.ask('full', { type: 'SetAlarm', atMs });
    faults.refusing = true;
    await assert.rejects(counters.ask('full', { type: 'Increment', by: 5 }), { name: 'StoreUnavailableError' });
    // The alarm's Timeout is refused, then tried again until the store takes it.
    await waitFor(() => faults.refused() >= 3);
    assert.equal((await store.readStream('counter-full')).length, 2, 'nothing refused was stored');
    faults.refusing = false;
    await waitFor(async () => (await counters.read('full')).state.rang === 1);
    assert.deepEqual((await counters.read('full')).state, { count: 2, alarmAtMs: null, rang: 1 }, 'the refused increment was not applied');
    assert.equal((await counters.ask('full', { type: 'Increment', by: 1 })).ok, true);
    assert.deepEqual(
      (await store.readStream('counter-full')).map((event) => event.type),
      ['Incremented', 'AlarmSet', 'AlarmRang', 'Incremented'],
    );
  });

  it('fires an overdue deadline at once on recovery', async () => {
    const first = start();
    await first.counters.ask('late', { type: 'SetAlarm', atMs: Date.now() + 60_000 });
    const later = Date.now() + 120_000;
    const second = await restart(first, { nowMs: () => later });
    assert.equal((await second.counters.read('late')).state.rang, 0);
    await waitFor(async () => (await second.counters.read('late')).state.rang === 1);
  });

  it('arms a deadline restored from the log without loading the actor, and loads it when it fires', async () => {
    const first = start();
    const atMs = Date.now() + 300;
    await first.counters.ask('lazy', { type: 'SetAlarm', atMs });
    await first.counters.ask('busy', { type: 'SetAlarm', atMs: Date.now() + 60_000 });
    const second = await restart(first);
    // A running actor keeps the deadline it armed itself: a stale restore must not replace it.
    assert.equal((await second.counters.read('busy')).state.alarmAtMs !== null, true);
    second.counters.restoreDeadline('busy', { name: 'alarm', atMs: Date.now() });
    second.counters.restoreDeadline('lazy', { name: 'alarm', atMs });
    const { runningActors, armedDeadlines } = second.system.stats();
    assert.deepEqual({ runningActors, armedDeadlines }, { runningActors: 1, armedDeadlines: 2 });
    await waitFor(() => second.system.stats().runningActors === 2, 5_000);
    await waitFor(async () => (await second.store.readStream('counter-lazy')).some((event) => event.type === 'AlarmRang'), 5_000);
    const rang = (await second.store.readStream('counter-lazy')).at(-1);
    assert.equal(rang?.type, 'AlarmRang');
    assert.ok((rang?.data as { rangAtMs: number }).rangAtMs >= atMs, 'fired before its deadline');
    assert.equal((await second.store.readStream('counter-busy')).length, 1, 'the running actor ignored the restored (earlier) deadline');
  });

  it('rejects an ask its actor does not answer in time, and answers the next ones', async () => {
    const real = openSqliteStore({ path: ':memory:' });
    let hang = true;
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // A store whose appends wait for `gate` while `hang` is set: the actor cannot answer in time.
    const hanging: EventStore = { ...real, appendToStream: (...args) => (hang ? gate.then(() => real.appendToStream(...args)) : real.appendToStream(...args)) };
    const { counters } = start({ askTimeoutMs: 100 }, hanging);
    const startedAt = Date.now();
    await assert.rejects(counters.ask('slow', { type: 'Increment', by: 1 }), /counter-slow did not answer within 100 ms/);
    const waitedMs = Date.now() - startedAt;
    // Well below the 30 s default: the configured timeout was used, however slow the machine.
    assert.ok(waitedMs >= 100 && waitedMs < 15_000, `rejected after ${waitedMs} ms`);
    hang = false;
    // The hung message still holds the actor's mailbox: another actor answers at once.
    const outcome = await counters.ask('other', { type: 'Increment', by: 2 });
    assert.equal(outcome.ok && outcome.state.count, 2);
    // The late answer of the first ask goes nowhere, and the slow actor takes messages again.
    release();
    const after = await counters.ask('slow', { type: 'Increment', by: 1 });
    assert.equal(after.ok && after.state.count, 2);
  });

  it('unloads an actor as soon as it is idle in a final state, and loads it again on its next message', async () => {
    const { system, store } = start();
    const capped = system.register({ ...counterActor, category: 'capped', decider: { ...counterActor.decider, isFinal: (state) => state.count >= 3 } });
    await capped.ask('a', { type: 'Increment', by: 1 });
    assert.equal(system.stats().runningActors, 1, 'not final yet: stays loaded');
    // Two messages queued at once: the actor is not unloaded while the second still waits.
    const [first, second] = await Promise.all([capped.ask('a', { type: 'Increment', by: 2 }), capped.ask('a', { type: 'Increment', by: 4 })]);
    assert.equal(first.ok && second.ok && second.state.count, 7);
    assert.equal(system.stats().runningActors, 0, 'final and idle: unloaded');
    assert.deepEqual(await capped.read('a'), { state: { count: 7, alarmAtMs: null, rang: 0 }, revision: 2 });
    assert.equal((await store.readStream('capped-a')).length, 3);
  });

  it('ignores a stale timeout', async () => {
    const { counters } = start();
    await counters.ask('stale', { type: 'SetAlarm', atMs: Date.now() + 60_000 });
    const outcome = await counters.ask('stale', { type: 'Timeout', deadline: { name: 'alarm', atMs: 1 }, nowMs: Date.now() });
    assert.equal(!outcome.ok && outcome.rejection.code, 'stale_timeout');
  });

  it('retries a decision after a conflicting second writer, then succeeds', async () => {
    const first = start();
    const second = start({}, openSqliteStore({ path }));
    await first.counters.ask('shared', { type: 'Increment', by: 1 });
    await second.counters.ask('shared', { type: 'Increment', by: 10 });
    const outcome = await first.counters.ask('shared', { type: 'Increment', by: 100 });
    assert.equal(outcome.ok, true);
    assert.equal(outcome.state.count, 111);
    assert.equal(outcome.revision, 2);
    assert.deepEqual(
      (await first.store.readStream('counter-shared')).map((e) => (e.data as { by: number }).by),
      [1, 10, 100],
    );
  });

  it('rejects with a conflict after a bounded number of retries', async () => {
    const inner = openSqliteStore({ path });
    let appendCalls = 0;
    const alwaysConflicting: EventStore = {
      ...inner,
      async appendToStream(stream, _events, expected) {
        appendCalls++;
        throw new WrongExpectedRevisionError(stream, expected, 41);
      },
    };
    const { counters } = start({ maxConflictRetries: 3 }, alwaysConflicting);
    const outcome = await counters.ask('contested', { type: 'Increment', by: 1 });
    assert.equal(!outcome.ok && outcome.rejection.code, 'conflict');
    assert.equal(appendCalls, 4);
  });

  it('gives each of 1,000 concurrent queries to 100 actors its own reply', async () => {
    const { counters } = start();
    const asks = Array.from({ length: 1000 }, (_, i) => {
      const nonce = `n${i}`;
      return counters.ask(`c${i % 100}`, { type: 'Increment', by: i + 1, nonce }).then((outcome) => ({ outcome, nonce }));
    });
    const replies = await Promise.all(asks);
    for (const { outcome, nonce } of replies) {
      assert.equal(outcome.ok, true);
      const [event] = outcome.ok ? outcome.events : [];
      assert.equal(event?.type === 'Incremented' && event.data.nonce, nonce);
    }
    for (let actor = 0; actor < 100; actor++) {
      const expected = Array.from({ length: 10 }, (_, k) => actor + 100 * k + 1).reduce((a, b) => a + b, 0);
      assert.deepEqual(await counters.read(`c${actor}`), { state: { count: expected, alarmAtMs: null, rang: 0 }, revision: 9 });
    }
  });

  it('stops idle actors and brings them back transparently on their next message', async () => {
    const { system, counters } = start({ idleShutdownMs: 30 });
    await counters.ask('idle', { type: 'Increment', by: 2 });
    assert.equal(system.stats().runningActors, 1);
    await waitFor(() => system.stats().runningActors === 0);
    const outcome = await counters.ask('idle', { type: 'Increment', by: 3 });
    assert.equal(outcome.state.count, 5);
    assert.equal(outcome.revision, 1);
  });

  it('survives a throwing decider and a failing store, reloading after the failure', async () => {
    const inner = openSqliteStore({ path });
    let failNextAppend = false;
    const flaky: EventStore = {
      ...inner,
      appendToStream(stream, events, expected) {
        if (!failNextAppend) return inner.appendToStream(stream, events, expected);
        failNextAppend = false;
        return Promise.reject(new Error('disk on fire'));
      },
    };
    const { counters } = start({}, flaky);
    await counters.ask('robust', { type: 'Increment', by: 1 });
    await assert.rejects(counters.ask('robust', { type: 'Explode' }), /a decider bug/);
    failNextAppend = true;
    await assert.rejects(counters.ask('robust', { type: 'Increment', by: 5 }), /disk on fire/);
    const outcome = await counters.ask('robust', { type: 'Increment', by: 7 });
    assert.equal(outcome.state.count, 8);
    assert.equal(outcome.revision, 1);
  });
});
