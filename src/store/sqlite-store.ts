import { randomUUID } from 'node:crypto';
import { openWalDatabase } from './sqlite-open.js';
import {
  LOG_START,
  WrongExpectedRevisionError,
  matchesFilter,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type Json,
  type LogFilter,
  type LogPosition,
  type RecordedEvent,
  type Snapshot,
  type SubscriptionHandler,
} from './port.js';
import type { BatchAppend, CommitBatch, CommitOutcome } from './sqlite-commit.js';
import { CommittedEvent, RecentEvents } from './sqlite-recent.js';
import { createInlineWriter, createThreadWriter } from './sqlite-writer.js';
import { createSqliteSubscription, type SqliteSubscription } from './sqlite-subscription.js';
import { toStoreError } from './sqlite-faults.js';
import { EVENT_COLUMNS, rowToRecordedEvent, type EventRow, SQLITE_SCHEMA } from './sqlite-rows.js';

export interface SqliteStoreOptions {
  /** File path, or `:memory:` for a private in-memory store. */
  readonly path: string;
  /** FULL syncs every commit to disk; NORMAL may lose the last commits on power loss (never corrupts). */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** How often live subscriptions look for commits made by other processes. */
  readonly pollIntervalMs?: number;
  /** Commit on a writer thread (files only; default true). */
  readonly writerThread?: boolean;
}

interface PendingSnapshot {
  readonly revision: number;
  readonly state: string;
  readonly settles: readonly { resolve(): void; reject(error: unknown): void }[];
}

interface PendingAppend {
  readonly stream: string;
  readonly events: readonly EventToAppend[];
  readonly expected: ExpectedRevision;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

const PAGE_ROWS = 500;
/** Events of the latest commits kept for live subscribers (a few pages). */
const RECENT_EVENTS = 4 * PAGE_ROWS;

/**
 * The embedded event store: one SQLite file in WAL mode. Appends made in the same event-loop turn, or
 * while the previous commit runs, share one transaction (group commit) and so one fsync; each keeps
 * its own revision check and atomicity.
 */
export function openSqliteStore(options: SqliteStoreOptions): EventStore {
  const db = openWalDatabase(options.path, { synchronous: options.synchronous ?? 'FULL' });
  db.exec(SQLITE_SCHEMA);

  const statements = {
    readStream: db.prepare<[string, number], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision`).raw(true),
    readPage: db.prepare<[number, number], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`).raw(true),
    readSnapshot: db.prepare<[string], { revision: number; state: string }>('SELECT revision, state FROM snapshots WHERE stream = ?'),
    lastPosition: db.prepare<[], number | null>('SELECT MAX(position) FROM events').pluck(),
    // Read after every commit and at every poll: prepared once (db.pragma() prepares on each call).
    dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
  };
  /**
   * A file's group commits run on a writer thread with its own connection, so that their inserts and
   * fsync leave this thread to the actors and HTTP; this connection only reads. One commit is in
   * flight at a time. `:memory:` is private to this connection: it commits here.
   */
  const inMemory = options.path === ':memory:' || options.path === '';
  const writer = inMemory || options.writerThread === false ? createInlineWriter(db) : createThreadWriter(options.path, options.synchronous ?? 'FULL');

  let pending: PendingAppend[] = [];
  /** Snapshots written since the last flush, by stream (the latest wins): they share its transaction and fsync. */
  let pendingSnapshots = new Map<string, PendingSnapshot>();
  /** Snapshots of the commit in flight: readSnapshot sees them before they are stored. */
  let committingSnapshots = new Map<string, PendingSnapshot>();
  let flushScheduled: Promise<void> | undefined;
  /** The one group commit in flight; what arrives meanwhile waits for it and goes in the next one. */
  let committing: Promise<void> | undefined;
  const subscriptions = new Set<SqliteSubscription>();
  const recent = new RecentEvents(RECENT_EVENTS);
  let lastDataVersion = readDataVersion();
  let pollTimer: NodeJS.Timeout | undefined;
  /**
   * Every live subscription wakes on the same commit and asks for the same page: they share one
   * query. The page is forgotten at each commit seen (notifySubscribers) and at the end of the
   * event-loop turn, so no reader sees it staler than a read made in the same turn.
   */
  let sharedPage: { readonly after: LogPosition; readonly page: RecordedEvent[] } | undefined;

  function readDataVersion(): number {
    return statements.dataVersion.get()!;
  }

  function scheduleFlush(): void {
    if (committing !== undefined) return; // flushed when the commit in flight ends
    flushScheduled ??= new Promise<void>((done) => setImmediate(() => ((flushScheduled = undefined), flush(), done())));
  }

  /** The append as the writer takes it: JSON text, ids given. Throws when its data cannot be serialised. */
  function serialise(item: PendingAppend): BatchAppend {
    // The events of one decision usually share one metadata object: serialise it once.
    let lastMetadata: unknown;
    let metadata = '';
    const events = item.events.map((event) => {
      if (event.metadata !== lastMetadata || metadata === '') {
        lastMetadata = event.metadata;
        metadata = JSON.stringify(event.metadata ?? {});
      }
      return { id: event.id ?? randomUUID(), type: event.type, data: JSON.stringify(event.data), metadata };
    });
    return { stream: item.stream, expected: item.expected, events };
  }

  function flush(): void {
    if (committing !== undefined || (pending.length === 0 && pendingSnapshots.size === 0)) return;
    const batch: PendingAppend[] = [];
    const appends: BatchAppend[] = [];
    for (const item of pending) {
      try {
        appends.push(serialise(item));
        batch.push(item);
      } catch (error) {
        item.reject(error);
      }
    }
    const snapshots = pendingSnapshots;
    pending = [];
    pendingSnapshots = new Map();
    committingSnapshots = snapshots;
    const commitBatch: CommitBatch = {
      appends,
      snapshots: [...snapshots].map(([stream, { revision, state }]) => ({ stream, revision, state })),
      createdAtMs: Date.now(),
    };
    committing = writer
      .commit(commitBatch)
      .then(
        (outcome) => settle(batch, commitBatch, snapshots, outcome),
        (error: unknown) => {
          for (const snapshot of snapshots.values()) for (const waiter of snapshot.settles) waiter.reject(error);
          for (const item of batch) item.reject(error);
        },
      )
      .finally(() => {
        committing = undefined;
        committingSnapshots = new Map();
        // What arrived during the commit goes at once, as the next group.
        flush();
      });
  }

  function settle(batch: readonly PendingAppend[], commitBatch: CommitBatch, snapshots: ReadonlyMap<string, PendingSnapshot>, outcome: CommitOutcome): void {
    const snapshotError = outcome.snapshotError === undefined ? undefined : toStoreError(outcome.snapshotError);
    for (const snapshot of snapshots.values()) {
      for (const waiter of snapshot.settles) {
        if (snapshotError === undefined) waiter.resolve();
        else waiter.reject(snapshotError);
      }
    }
    const committed: RecordedEvent[] = [];
    batch.forEach((item, i) => {
      const result = outcome.appends[i]!;
      if (result.ok) {
        const { events } = commitBatch.appends[i]!;
        const firstRevision = result.nextRevision - events.length + 1;
        const firstPosition = result.position - events.length + 1;
        events.forEach(({ id, type }, k) => {
          const { data, metadata } = item.events[k]!;
          committed.push(new CommittedEvent(id, item.stream, firstRevision + k, BigInt(firstPosition + k), type, data, metadata ?? {}, commitBatch.createdAtMs));
        });
        item.resolve({ nextRevision: result.nextRevision, position: BigInt(result.position) });
      } else if (result.conflict !== undefined) {
        item.reject(new WrongExpectedRevisionError(item.stream, result.conflict.expected, result.conflict.actual));
      } else {
        item.reject(toStoreError(result.error));
      }
    });
    if (committed.length > 0) {
      recent.add(committed);
      notifySubscribers();
    }
  }

  function notifySubscribers(): void {
    sharedPage = undefined;
    lastDataVersion = readDataVersion();
    for (const subscription of subscriptions) subscription.wake();
  }

  function pollForOtherWriters(): void {
    const version = readDataVersion();
    if (version !== lastDataVersion) notifySubscribers();
  }

  /**
   * A page from this store's latest commits. A short page means "the end of the log": it is only
   * served while no other process has committed after them.
   */
  function fromRecent(after: LogPosition): RecordedEvent[] | undefined {
    const page = recent.after(after, PAGE_ROWS);
    if (page === undefined || page.length === PAGE_ROWS) return page;
    return page.at(-1)!.position === BigInt(statements.lastPosition.get() ?? 0) ? page : undefined;
  }

  function readPage(after: LogPosition): RecordedEvent[] {
    if (sharedPage?.after === after) return sharedPage.page;
    const page = fromRecent(after) ?? statements.readPage.all(Number(after), PAGE_ROWS).map(rowToRecordedEvent);
    if (sharedPage === undefined) setImmediate(() => (sharedPage = undefined));
    sharedPage = { after, page };
    return page;
  }

  const store: EventStore = {
    appendToStream(stream, events, expected) {
      if (events.length === 0) return Promise.reject(new Error('appendToStream needs at least one event'));
      return new Promise<AppendResult>((resolve, reject) => {
        pending.push({ stream, events, expected, resolve, reject });
        scheduleFlush();
      });
    },

    async readStream(stream, fromRevision = 0) {
      return statements.readStream.all(stream, fromRevision).map(rowToRecordedEvent);
    },

    async *readAll(from = LOG_START, filter?: LogFilter) {
      let after = from;
      for (;;) {
        const page = readPage(after);
        for (const event of page) if (matchesFilter(event, filter)) yield event;
        if (page.length < PAGE_ROWS) return;
        after = page.at(-1)!.position;
      }
    },

    subscribeToAll(from: LogPosition, handler: SubscriptionHandler, filter?: LogFilter) {
      const subscription = createSqliteSubscription({ from, handler, filter, readPage, pageRows: PAGE_ROWS });
      subscriptions.add(subscription);
      pollTimer ??= setInterval(pollForOtherWriters, options.pollIntervalMs ?? 200);
      void subscription.finished.then(() => {
        subscriptions.delete(subscription);
        if (subscriptions.size === 0 && pollTimer) {
          clearInterval(pollTimer);
          pollTimer = undefined;
        }
      });
      return subscription;
    },

    /** Written with the next group commit rather than in a transaction (and fsync) of its own. */
    writeSnapshot(stream, snapshot: Snapshot) {
      const state = JSON.stringify(snapshot.state);
      return new Promise<void>((resolve, reject) => {
        const previous = pendingSnapshots.get(stream);
        pendingSnapshots.set(stream, { revision: snapshot.revision, state, settles: [...(previous?.settles ?? []), { resolve, reject }] });
        scheduleFlush();
      });
    },

    async readSnapshot(stream) {
      const queued = pendingSnapshots.get(stream) ?? committingSnapshots.get(stream);
      if (queued !== undefined) return { revision: queued.revision, state: JSON.parse(queued.state) as Json };
      const row = statements.readSnapshot.get(stream);
      return row && { revision: row.revision, state: JSON.parse(row.state) as Json };
    },

    async close() {
      while (flushScheduled !== undefined || committing !== undefined) await (flushScheduled ?? committing);
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      if (pollTimer) clearInterval(pollTimer);
      await writer.close();
      db.close();
    },
  };
  return store;
}
