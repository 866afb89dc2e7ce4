import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { isoUtc } from '../../src/projections/lab/event-time.js';
import { createTestInventory, startTestLab, type TestLab } from '../support/lab-harness.js';
import { waitFor } from '../support/wait-for.js';
import { runLabpoolCli, spawnLabpoolCli } from '../support/run-cli.js';

/** In this process; the last test runs the real process once. */
const labpool = runLabpoolCli;

async function deviceState(lab: TestLab, name: string): Promise<string> {
  return ((await (await fetch(`${lab.url}/api/device/${name}/state/`)).json()) as { state: string }).state;
}

describe('labpool history', () => {
  let dir: string;
  let storeFile: string;
  let lab: TestLab;
  let requestId: number;
  let readyAtMs: number;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'labpool-history-'));
    storeFile = join(dir, 'events.sqlite');
    lab = await startTestLab(createTestInventory(1), { config: { store: { kind: 'sqlite', path: storeFile, synchronous: 'NORMAL' } } });
    readyAtMs = Date.now();
    await sleep(5);
    const response = await fetch(`${lab.url}/api/device/panda-0001/request/`, { method: 'POST', body: JSON.stringify({ assignee: 'cli', duration: 600, image: 'ubuntu' }) });
    requestId = ((await response.json()) as { request: { id: number } }).request.id;
    await waitFor(async () => (await deviceState(lab, 'panda-0001')) === 'pxe_booting');
  });
  after(async () => {
    await lab.labpool.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a device history from a SQLite store file, one line per event', async () => {
    const { code, stdout, stderr } = await labpool('history', 'device', 'panda-0001', '--store', storeFile);
    assert.equal(code, 0, stderr);
    const lines = stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^\S+Z {2}#0 {2}DeviceRegistered {2}name=panda-0001 /);
    assert.ok(
      lines.some((line) => /#\d+ {2}DeviceStateEntered {2}pxe_power_cycling → ready \(.*\)/.test(line)),
      stdout,
    );
    assert.ok(
      lines.some((line) => /DeviceHolderAttached {2}holder=\{"kind":"mozpool_request","id":"\d+"\} .*\[.*correlation [0-9a-f-]{36}\]$/.test(line)),
      stdout,
    );
  });

  it('replays the state at an instant from the store, as JSON', async () => {
    const { code, stdout, stderr } = await labpool('history', 'device', 'panda-0001', '--at', isoUtc(readyAtMs), '--store', storeFile, '--json');
    assert.equal(code, 0, stderr);
    const answer = JSON.parse(stdout);
    assert.deepEqual([answer.at, answer.mozpool_state, answer.state.holder], [isoUtc(readyAtMs), 'ready', null]);
  });

  it('asks a running server, giving the same JSON as its route', async () => {
    const { code, stdout, stderr } = await labpool('history', 'request', String(requestId), '--server', lab.url, '--json');
    assert.equal(code, 0, stderr);
    const route = await (await fetch(`${lab.url}/api/request/${requestId}/history/`)).json();
    assert.deepEqual(JSON.parse(stdout), route);
  });

  it('prints the state at an instant from a server, human-readable', async () => {
    const { code, stdout, stderr } = await labpool('history', 'device', 'panda-0001', '--at', new Date().toISOString(), '--server', lab.url);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^device panda-0001 at \S+Z: pxe_booting \(after event #\d+\)\n/);
    assert.match(stdout, new RegExp(`\\n {2}holder: \\{"kind":"mozpool_request","id":"${requestId}"\\}\\n`));
  });

  it('fails with exit code 1 and a message for unknown devices, bad times and missing store files', async () => {
    const unknown = await labpool('history', 'device', 'panda-9999', '--store', storeFile);
    assert.deepEqual([unknown.code, unknown.stderr.trim()], [1, 'labpool history: device panda-9999 not found']);
    const unknownOnServer = await labpool('history', 'request', '99', '--server', lab.url);
    assert.match(unknownOnServer.stderr, /answered 404: request 99 not found/);
    const badTime = await labpool('history', 'request', '1', '--at', 'noon', '--server', lab.url);
    assert.match(badTime.stderr, /at must be an ISO 8601 time/);
    const missing = await labpool('history', 'device', 'panda-0001', '--store', join(dir, 'nope.sqlite'));
    assert.match(missing.stderr, /no SQLite store file at/);
    assert.equal(missing.code, 1);
  });

  it('runs as its own process: the failure line on stderr and exit code 1', async () => {
    const unknown = await spawnLabpoolCli('history', 'device', 'panda-9999', '--store', storeFile);
    assert.deepEqual([unknown.code, unknown.stdout, unknown.stderr], [1, '', 'labpool history: device panda-9999 not found\n']);
  });
});
