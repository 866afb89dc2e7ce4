import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { LabpoolConfig } from '../src/config/config.js';
import { vmpoolerDialect } from '../src/dialects/vmpooler/vmpooler-dialect.js';
import { createTestInventory, inventoryFileText, startTestLab, type TestLab } from './support/lab-harness.js';
import { createMemoryLog, type LogLine } from './support/memory-log.js';
import { sampleValue } from './support/prometheus-text.js';
import { driveSecondStages } from './support/second-stage.js';
import { mountTmpfs, type Tmpfs } from './support/tmpfs.js';
import { waitFor } from './support/wait-for.js';

type Reply = { readonly status: number; readonly headers: Headers; readonly body: any };

async function call(lab: TestLab, method: string, path: string, body?: unknown): Promise<Reply> {
  const response = await fetch(`${lab.url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

const setComments = (lab: TestLab, device: string, comments: string) => call(lab, 'POST', `/api/device/${device}/set-comments/`, { comments });

async function commentsOf(lab: TestLab, device: string): Promise<string> {
  const list = await call(lab, 'GET', '/api/device/list/?details=1');
  return (list.body.devices as { name: string; comments: string }[]).find((entry) => entry.name === device)!.comments;
}

async function metric(lab: TestLab, name: string, labels?: Record<string, string>): Promise<number | undefined> {
  return sampleValue(await (await fetch(`${lab.url}/metrics`)).text(), name, labels);
}

const storeLines = (lines: readonly LogLine[], level: number) => lines.filter((line) => line.component === 'store' && line.level === level);
const ERROR = 50;
const INFO = 30;

/** A 503 of the error path: its Retry-After and a message that names the store and why it cannot write. */
function assertStoreUnavailable(reply: Reply, why: RegExp): void {
  assert.equal(reply.status, 503, JSON.stringify(reply.body));
  assert.equal(reply.headers.get('retry-after'), '5');
  assert.match(JSON.stringify(reply.body), /the event store cannot write/);
  assert.match(JSON.stringify(reply.body), why);
}

function storeConfig(path: string): Partial<LabpoolConfig> {
  return { store: { kind: 'sqlite', path, synchronous: 'NORMAL' } };
}

describe('a full disk under the event store (tmpfs)', () => {
  const mounted = mountTmpfs(8 * 1024 * 1024);
  const skip = typeof mounted === 'string' ? mounted : false;
  const tmpfs = mounted as Tmpfs;
  const log = createMemoryLog('info');
  const inventoryDir = mkdtempSync(join(tmpdir(), 'labpool-disk-'));
  const inventoryFile = join(inventoryDir, 'inventory.json');
  const pool = 'ubuntu-x86_64';
  let lab: TestLab;
  let stopStages: () => void = () => undefined;

  before(async () => {
    if (skip !== false) return;
    writeFileSync(inventoryFile, inventoryFileText(createTestInventory(8)));
    lab = await startTestLab(createTestInventory(8), {
      logger: log.logger,
      config: {
        ...storeConfig(join(tmpfs.dir, 'events.db')),
        inventory: { file: inventoryFile, forceSync: false },
        vmpooler: { pools: [{ name: pool, alias: ['ubuntu'], image: 'ubuntu', size: 2, reimageConcurrency: 2 }] },
      },
    });
    stopStages = driveSecondStages(lab.labpool);
    await waitFor(() => lab.labpool.part(vmpoolerDialect).lab.context.pools.queues(pool).ready.length === 2);
  });
  after(async () => {
    stopStages();
    await lab?.labpool.stop();
    if (skip === false) tmpfs.remove();
    rmSync(inventoryDir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After in each family’s shape, logs once, counts, and recovers when space is back', { skip }, async (t) => {
    assert.equal((await setComments(lab, 'panda-0001', 'before the disk filled')).status, 200);
    assert.equal(await metric(lab, 'labpool_store_writable'), 1);
    const fillerBytes = tmpfs.fill();

    const mozpool = await setComments(lab, 'panda-0001', 'while full');
    assertStoreUnavailable(mozpool, /disk is full/);
    assert.deepEqual(Object.keys(mozpool.body), ['error'], 'MozPool: {"error": "..."}');

    const vmpooler = await call(lab, 'POST', '/api/v1/vm/ubuntu');
    assertStoreUnavailable(vmpooler, /disk is full/);
    assert.equal(vmpooler.body.ok, false, 'vmpooler: {"ok": false, ...}');

    writeFileSync(inventoryFile, inventoryFileText(createTestInventory(9)));
    const labpool = await fetch(`${lab.url}/labpool/inventory/sync`, { method: 'POST' });
    assert.match(labpool.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const problem: any = await labpool.json();
    assertStoreUnavailable({ status: labpool.status, headers: labpool.headers, body: problem }, /disk is full/);
    assert.equal(problem.status, 503);

    // Many refused commands, one error line.
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => setComments(lab, `panda-000${(i % 8) + 1}`, `burst ${i}`)));
    for (const reply of burst) assertStoreUnavailable(reply, /disk is full/);
    assert.equal(storeLines(log.lines, ERROR).length, 1, 'one error line per episode');
    assert.equal(storeLines(log.lines, ERROR)[0]!.reason, 'full');
    const errorLines = log.lines.filter((line) => Number(line.level) >= ERROR);
    assert.deepEqual(
      errorLines.map((line) => line.msg),
      [storeLines(log.lines, ERROR)[0]!.msg],
      'no error line per request, deadline or pool plan',
    );
    assert.equal(await metric(lab, 'labpool_store_writable'), 0);
    const refused = (await metric(lab, 'labpool_store_refused_writes_total', { reason: 'full' })) ?? 0;
    assert.ok(refused >= 23, `refused writes counted: ${refused}`);
    assert.equal(await commentsOf(lab, 'panda-0001'), 'before the disk filled', 'nothing refused was applied');

    const bad = await call(lab, 'POST', '/api/device/panda-0001/set-comments/', { comments: 7 });
    assert.equal(bad.status, 400, 'bad input stays 4xx while the disk is full');

    tmpfs.unfill();
    const startedMs = performance.now();
    const recovered = await setComments(lab, 'panda-0001', 'after the space came back');
    const recoveryMs = performance.now() - startedMs;
    assert.equal(recovered.status, 200, JSON.stringify(recovered.body));
    assert.equal(await commentsOf(lab, 'panda-0001'), 'after the space came back');
    assert.equal(await metric(lab, 'labpool_store_writable'), 1);
    const [recoveryLine] = storeLines(log.lines, INFO);
    assert.ok(recoveryLine !== undefined, 'the recovery is logged at info');
    assert.ok(Number(recoveryLine.refusedWrites) >= 23);

    const checkout = await call(lab, 'POST', '/api/v1/vm/ubuntu');
    assert.equal(checkout.status, 200, JSON.stringify(checkout.body));
    const sync = await call(lab, 'POST', '/labpool/inventory/sync');
    assert.equal(sync.status, 200, JSON.stringify(sync.body));
    assert.equal(sync.body.devices, 9);

    // What the store holds: every acknowledged comment, none of the refused ones.
    const stored = await lab.labpool.store.readStream('device-panda-0001');
    const comments = stored.filter((event) => event.type === 'DeviceCommentsSet').map((event) => (event.data as { comments: string }).comments);
    assert.deepEqual(comments, ['before the disk filled', 'after the space came back']);
    t.diagnostic(`filler ${fillerBytes} bytes; ${refused} writes refused; first command after the space came back answered in ${recoveryMs.toFixed(0)} ms`);
  });
});

describe('a read-only store file (chattr +i on tmpfs)', () => {
  const mounted = mountTmpfs(8 * 1024 * 1024);
  const skip = typeof mounted === 'string' ? mounted : false;
  const tmpfs = mounted as Tmpfs;
  const dbPath = skip === false ? join(tmpfs.dir, 'events.db') : '';
  const log = createMemoryLog('info');
  let lab: TestLab | undefined;

  after(async () => {
    await lab?.labpool.stop();
    if (skip !== false) return;
    // The flag may already be off, or the file missing when the test failed early.
    spawnSync('chattr', ['-i', dbPath]);
    tmpfs.remove();
  });

  it('answers 503 read-only while the file is immutable, and writes again once it is not, without a restart', { skip }, async () => {
    const first = await startTestLab(createTestInventory(2), { config: storeConfig(dbPath) });
    assert.equal((await setComments(first, 'panda-0001', 'before')).status, 200);
    await first.labpool.stop();
    // Root ignores file modes; the immutable flag binds root too: a new connection opens the file read-only.
    execFileSync('chattr', ['+i', dbPath]);
    lab = await startTestLab(createTestInventory(2), { config: storeConfig(dbPath), ready: false, logger: log.logger });

    for (const comments of ['one', 'two', 'three']) assertStoreUnavailable(await setComments(lab, 'panda-0001', comments), /read-only/);
    assert.equal(storeLines(log.lines, ERROR).length, 1);
    assert.equal(await metric(lab, 'labpool_store_refused_writes_total', { reason: 'read_only' }), 3);

    execFileSync('chattr', ['-i', dbPath]);
    assert.equal((await setComments(lab, 'panda-0001', 'after')).status, 200);
    assert.equal(await commentsOf(lab, 'panda-0001'), 'after');
    assert.equal(storeLines(log.lines, INFO).length, 1);
  });
});

describe('a store file locked by another process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'labpool-locked-'));
  const dbPath = join(dir, 'events.db');
  const log = createMemoryLog('info');
  let lab: TestLab;

  before(async () => {
    // Appends that arrive while a commit waits out the busy timeout wait out the next one: asks outlive both.
    const actors = { snapshotEvery: 100, idleShutdownMs: 300_000, queryTimeoutMs: 60_000 };
    lab = await startTestLab(createTestInventory(3), { config: { ...storeConfig(dbPath), actors }, logger: log.logger });
  });
  after(async () => {
    await lab.labpool.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 locked once the busy timeout passes, and writes again once the lock is released', async () => {
    assert.equal((await setComments(lab, 'panda-0001', 'before')).status, 200);
    const other = new Database(dbPath);
    try {
      other.exec('BEGIN IMMEDIATE');
      const replies = await Promise.all(['panda-0001', 'panda-0002', 'panda-0003'].map((device) => setComments(lab, device, 'while locked')));
      for (const reply of replies) assertStoreUnavailable(reply, /locked by another process/);
      assert.equal(storeLines(log.lines, ERROR).length, 1);
      assert.equal(await metric(lab, 'labpool_store_writable'), 0);
      // Reads go on: WAL readers do not wait for a writer's lock.
      assert.equal(await commentsOf(lab, 'panda-0001'), 'before');
      other.exec('ROLLBACK');
    } finally {
      other.close();
    }
    assert.equal((await setComments(lab, 'panda-0002', 'after')).status, 200);
    assert.equal(await commentsOf(lab, 'panda-0002'), 'after');
    assert.equal(await metric(lab, 'labpool_store_writable'), 1);
  });
});
