import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LOG_START, WrongExpectedRevisionError } from '../../src/store/port.js';
import { waitFor } from '../support/wait-for.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { describeEventStoreContract } from '../contracts/event-store-contract.js';

const execFileAsync = promisify(execFile);

function createTempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'labpool-sqlite-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describeEventStoreContract('sqlite :memory:', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  return { store, dispose: () => store.close() };
});

describeEventStoreContract('sqlite file, synchronous=FULL', async () => {
  const temp = createTempDir();
  const store = openSqliteStore({ path: join(temp.dir, 'events.db'), synchronous: 'FULL' });
  return { store, dispose: async () => (await store.close(), temp.remove()) };
});

describeEventStoreContract('sqlite file, synchronous=NORMAL, committing on the calling thread', async () => {
  const temp = createTempDir();
  const store = openSqliteStore({ path: join(temp.dir, 'events.db'), synchronous: 'NORMAL', writerThread: false });
  return { store, dispose: async () => (await store.close(), temp.remove()) };
});

describe('sqlite store writer thread', () => {
  it('rejects an append, instead of hanging, when its writer thread cannot open the file', async () => {
    const temp = createTempDir();
    const store = openSqliteStore({ path: join(temp.dir, 'events.db') });
    // The writer thread starts on the first commit: with its directory gone, it cannot open the file.
    temp.remove();
    await assert.rejects(store.appendToStream('lost-1', [{ type: 'A', data: {} }], 'no_stream'), /directory does not exist/);
    await assert.rejects(store.appendToStream('lost-1', [{ type: 'A', data: {} }], 'no_stream'), /directory does not exist/, 'the next commit tries a new thread');
    await store.close();
  });
});

describe('sqlite store reads after its own commits', () => {
  it('serves its latest commits from memory, yet never hides what another connection committed after them', async () => {
    const temp = createTempDir();
    const path = join(temp.dir, 'events.db');
    const mine = openSqliteStore({ path });
    const other = openSqliteStore({ path });
    try {
      await mine.appendToStream(
        'mine-1',
        [
          { type: 'A', data: { n: 1 } },
          { type: 'A', data: { n: 2 } },
        ],
        'no_stream',
      );
      const fromMemory = [];
      for await (const event of mine.readAll()) fromMemory.push(event);
      assert.deepEqual(
        fromMemory.map((e) => [e.stream, e.revision, e.position, e.type, e.data]),
        [
          ['mine-1', 0, 1n, 'A', { n: 1 }],
          ['mine-1', 1, 2n, 'A', { n: 2 }],
        ],
      );
      await other.appendToStream('other-1', [{ type: 'B', data: { n: 3 } }], 'no_stream');
      const all = [];
      for await (const event of mine.readAll()) all.push(`${event.stream}@${event.position}`);
      assert.deepEqual(all, ['mine-1@1', 'mine-1@2', 'other-1@3']);
      // Its next commit comes after the other's: the window starts again, and reads stay in order.
      await mine.appendToStream('mine-1', [{ type: 'A', data: { n: 4 } }], 1);
      const after = [];
      for await (const event of mine.readAll(1n)) after.push(`${event.stream}@${event.position}`);
      assert.deepEqual(after, ['mine-1@2', 'other-1@3', 'mine-1@4']);
    } finally {
      await other.close();
      await mine.close();
      temp.remove();
    }
  });
});

describe('sqlite store events', () => {
  it('parse their metadata once, on first read, and show it to property reads and destructuring', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    try {
      await store.appendToStream('meta-1', [{ type: 'A', data: { n: 1 }, metadata: { actor: 'alice', correlationId: 'c-1' } }], 'no_stream');
      const [event] = await store.readStream('meta-1');
      assert.ok(event);
      assert.equal(event.metadata, event.metadata, 'the same object on every read');
      const { metadata, data, position } = event;
      assert.deepEqual(metadata, { actor: 'alice', correlationId: 'c-1' });
      assert.deepEqual(data, { n: 1 });
      assert.equal(typeof position, 'bigint');
      for await (const fromLog of store.readAll()) assert.equal(fromLog.metadata.actor, 'alice');
    } finally {
      await store.close();
    }
  });
});

describe('sqlite store across processes', () => {
  it('delivers to a live subscription, within 1 s, events another process appended to the same file', async () => {
    const temp = createTempDir();
    const path = join(temp.dir, 'shared.db');
    const store = openSqliteStore({ path });
    await store.appendToStream('proc-local', [{ type: 'Local', data: {} }], 'no_stream');
    const seen: string[] = [];
    let caughtUp = false;
    const subscription = store.subscribeToAll(LOG_START, {
      onEvent: (event) => void seen.push(event.type),
      onCaughtUp: () => (caughtUp = true),
    });
    try {
      await waitFor(() => caughtUp);
      const script = `
        import { openSqliteStore } from './src/store/sqlite-store.ts';
        const store = openSqliteStore({ path: process.argv[1] });
        await store.appendToStream('proc-remote', [{ type: 'FromOtherProcess', data: { pid: process.pid } }], 'no_stream');
        await store.close();`;
      await execFileAsync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, path]);
      // No latency bound: on a busy machine any would be a guess. A subscription that never noticed would time out here.
      await waitFor(() => seen.includes('FromOtherProcess'));
      assert.deepEqual(seen, ['Local', 'FromOtherProcess']);
    } finally {
      await subscription.close();
      await store.close();
      temp.remove();
    }
  });

  it('keeps what another process appended when both append to one stream with revisions', async () => {
    const temp = createTempDir();
    const path = join(temp.dir, 'two-writers.db');
    const first = openSqliteStore({ path });
    const second = openSqliteStore({ path });
    try {
      await first.appendToStream('shared-1', [{ type: 'A', data: {} }], 'no_stream');
      await assert.rejects(second.appendToStream('shared-1', [{ type: 'B', data: {} }], 'no_stream'), WrongExpectedRevisionError);
      await second.appendToStream('shared-1', [{ type: 'B', data: {} }], 0);
      assert.deepEqual(
        (await first.readStream('shared-1')).map((e) => e.type),
        ['A', 'B'],
      );
    } finally {
      await first.close();
      await second.close();
      temp.remove();
    }
  });
});
