import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { createBatchCommitter, type CommitBatch, type CommitOutcome } from './sqlite-commit.js';

/** Runs the store's group commits: one at a time; the store batches what arrives meanwhile. */
export interface BatchWriter {
  commit(batch: CommitBatch): Promise<CommitOutcome>;
  close(): Promise<void>;
}

/** Commits on the calling thread: for `:memory:` stores, which no other connection can open. */
export function createInlineWriter(db: Database.Database): BatchWriter {
  const commit = createBatchCommitter(db);
  return {
    commit: async (batch) => commit(batch),
    close: async () => undefined,
  };
}

const THREAD_ENTRY = new URL('./sqlite-writer-thread.mjs', import.meta.url);

/**
 * Commits on a worker thread with its own connection to the file (WAL lets the main connection read
 * meanwhile). The fsync of a commit then blocks that thread only. Started at once: the thread takes
 * about 0.6 s to load (it registers the TypeScript loader), which started on the first commit made
 * the first commands after a restart (and the deadlines it found overdue) wait that long; started
 * here it loads while the server reads the log. A thread that dies fails the commit in flight, and
 * the next commit starts a new one.
 */
export function createThreadWriter(path: string, synchronous: 'FULL' | 'NORMAL'): BatchWriter {
  let current: { readonly worker: Worker; readonly waiting: Map<number, Settle> } | undefined;
  let nextId = 0;

  function start(): NonNullable<typeof current> {
    // No inherited flags (`--input-type`, loaders): the entry registers the TypeScript loader itself.
    const worker = new Worker(THREAD_ENTRY, { workerData: { path, synchronous }, execArgv: [] });
    const thread = { worker, waiting: new Map<number, Settle>() };
    /** A dead thread fails its own commits; the next commit starts a new thread. */
    const fail = (error: unknown) => {
      if (current === thread) current = undefined;
      for (const settle of thread.waiting.values()) settle.reject(error);
      thread.waiting.clear();
    };
    worker.on('message', ({ id, outcome }: { id: number; outcome: CommitOutcome }) => {
      const settle = thread.waiting.get(id);
      thread.waiting.delete(id);
      settle?.resolve(outcome);
      // Idle, the thread must not keep the process alive; the store's owner decides when to stop.
      if (thread.waiting.size === 0) worker.unref();
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the SQLite writer thread exited (code ${code})`)));
    return thread;
  }

  current = start();
  current.worker.unref();
  return {
    commit(batch) {
      const thread = (current ??= start());
      const id = ++nextId;
      thread.worker.ref();
      return new Promise((resolve, reject) => {
        thread.waiting.set(id, { resolve, reject });
        thread.worker.postMessage({ id, batch });
      });
    },
    async close() {
      const thread = current;
      current = undefined;
      if (thread === undefined) return;
      const exited = new Promise<void>((resolve) => thread.worker.once('exit', () => resolve()));
      thread.worker.ref();
      thread.worker.postMessage('close');
      await exited;
    },
  };
}

interface Settle {
  resolve(outcome: CommitOutcome): void;
  reject(error: unknown): void;
}
