import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { WireEvent } from '../../src/http/events/event-wire.js';
import { connectEventStoreDb } from '../../src/store/eventstoredb-store.js';
import type { EventStore } from '../../src/store/port.js';
import { startEsdbEmulator, type EsdbEmulator } from '../support/esdb-emulator.js';
import { createTestInventory, startTestLab, type TestLab } from '../support/lab-harness.js';
import { runLabpoolCli, spawnLabpoolCli, spawnLabpoolProcess, type CliRun } from '../support/run-cli.js';

/** In this process; one test per command runs the real process. */
const labpool = runLabpoolCli;

/** How often the tests below make an event while a live tail is starting: pacing, not a deadline. */
const EVENT_EVERY_MS = 50;

/** A live tail sees only what happens after it connected: keep making events until it has had enough. */
async function whileRunning(run: Promise<CliRun>, makeEvent: () => Promise<unknown>): Promise<CliRun> {
  let finished = false;
  void run.finally(() => (finished = true));
  while (!finished) {
    await makeEvent();
    await sleep(EVENT_EVERY_MS);
  }
  return run;
}

const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter((line) => line !== '');
const HUMAN_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (\S+)@(\d+) ([A-Za-z]+)( .*)?$/;

describe('labpool tail and labpool devices', () => {
  let dir: string;
  let storeFile: string;
  let lab: TestLab;
  const setComments = (device: string, comments: string) => fetch(`${lab.url}/api/device/${device}/set-comments/`, { method: 'POST', body: JSON.stringify({ comments }) });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'labpool-tail-'));
    storeFile = join(dir, 'events.sqlite');
    lab = await startTestLab(createTestInventory(2), { config: { store: { kind: 'sqlite', path: storeFile, synchronous: 'NORMAL' } } });
  });
  after(async () => {
    await lab.labpool.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints one human-readable line per event from a server', async () => {
    const { code, stdout, stderr } = await labpool('tail', '--server', lab.url, '--device', 'panda-0001', '--from', '0', '--limit', '3');
    assert.equal(code, 0, stderr);
    const printed = lines(stdout);
    assert.equal(printed.length, 3);
    assert.match(printed[0]!, /^\S+Z device-panda-0001@0 DeviceRegistered name=panda-0001 /);
    for (const line of printed) assert.equal(HUMAN_LINE.exec(line)?.[1], 'device-panda-0001', line);
  });

  it('prints NDJSON with --json, and follows live events', async () => {
    const run = labpool('tail', '--server', lab.url, '--type', 'DeviceCommentsSet', '--json', '--limit', '2');
    const { code, stdout, stderr } = await whileRunning(run, () => setComments('panda-0002', 'live'));
    assert.equal(code, 0, stderr);
    const events = lines(stdout).map((line) => JSON.parse(line) as WireEvent);
    assert.equal(events.length, 2);
    for (const event of events) assert.deepEqual([event.stream, event.type, event.data], ['device-panda-0002', 'DeviceCommentsSet', { comments: 'live', atMs: (event.data as { atMs: number }).atMs }]);
    assert.ok(BigInt(events[0]!.position) < BigInt(events[1]!.position));
    assert.match(events[0]!.time, /Z$/);
  });

  it('runs as its own process, printing until SIGINT stops it cleanly', async () => {
    const child = spawnLabpoolProcess('tail', '--server', lab.url, '--type', 'DeviceCommentsSet');
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    let running = true;
    const exited = once(child, 'exit').finally(() => (running = false));
    // However long the process takes to start and connect: keep making events until it prints one.
    while (stdout === '' && running) {
      await setComments('panda-0002', 'before ^C');
      await sleep(EVENT_EVERY_MS);
    }
    assert.match(stdout, /DeviceCommentsSet comments="before \^C"/, stderr);
    child.kill('SIGINT');
    const [code, signal] = await exited;
    assert.deepEqual([code, signal], [0, null]);
  });

  it('reads a SQLite store file directly, from the start', async () => {
    const { code, stdout, stderr } = await labpool('tail', '--store', storeFile, '--from', '0', '--json', '--limit', '5');
    assert.equal(code, 0, stderr);
    const expected: string[] = [];
    for await (const event of lab.labpool.store.readAll()) if (expected.length < 5) expected.push(`${String(event.position)} ${event.stream} ${event.type}`);
    assert.deepEqual(
      lines(stdout)
        .map((line) => JSON.parse(line) as WireEvent)
        .map((event) => `${event.position} ${event.stream} ${event.type}`),
      expected,
    );
  });

  it('follows a SQLite store file live, as the server appends to it', async () => {
    const run = labpool('tail', '--store', storeFile, '--device', 'panda-0001', '--type', 'DeviceCommentsSet', '--limit', '1');
    const { code, stdout, stderr } = await whileRunning(run, () => setComments('panda-0001', 'seen from the file'));
    assert.equal(code, 0, stderr);
    assert.match(lines(stdout)[0] ?? '', /^\S+Z device-panda-0001@\d+ DeviceCommentsSet comments="seen from the file" atMs=\d+$/);
  });

  it('fails with a message on a bad parameter, and on a missing store file', async () => {
    const refused = await labpool('tail', '--server', lab.url, '--request', 'abc');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /labpool tail: bad parameter request: "abc" is not a request id/);
    const missing = await labpool('tail', '--store', join(dir, 'nothing-here.sqlite'));
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no SQLite store file at/);
  });

  it('labpool devices lists name, state, request and image (as its own process)', async () => {
    const { code, stdout, stderr } = await spawnLabpoolCli('devices', '--server', lab.url);
    assert.equal(code, 0, stderr);
    const [header, ...rows] = lines(stdout);
    assert.match(header ?? '', /^NAME\s+STATE\s+REQUEST\s+IMAGE$/);
    assert.deepEqual(
      rows.map((row) => row.split(/\s+/)),
      [
        ['panda-0001', 'ready', '-', '-'],
        ['panda-0002', 'ready', '-', '-'],
      ],
    );
  });
});

describe('labpool tail --store esdb://… (the test gRPC emulator)', () => {
  let emulator: EsdbEmulator;
  let store: EventStore;
  before(async () => {
    emulator = await startEsdbEmulator();
    store = connectEventStoreDb(emulator.connectionString);
    for (const stream of ['device-panda-1', 'device-panda-10', 'boot-panda-1.1', 'request-3']) {
      await store.appendToStream(stream, [{ type: 'Seeded', data: { stream } }], 'any');
    }
  });
  after(async () => {
    await store.close();
    await emulator.stop();
  });

  it('catches up with the filter applied, then stops at --limit', async () => {
    const { code, stdout, stderr } = await labpool('tail', '--store', emulator.connectionString, '--device', 'panda-1', '--from', '0', '--json', '--limit', '2');
    assert.equal(code, 0, stderr);
    assert.deepEqual(
      lines(stdout).map((line) => (JSON.parse(line) as WireEvent).stream),
      ['device-panda-1', 'boot-panda-1.1'],
    );
  });
});
