import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import {
  LOG_START,
  WrongExpectedRevisionError,
  matchesFilter,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type LogFilter,
  type LogPosition,
  type RecordedEvent,
  type Snapshot,
  type SubscriptionHandler,
} from './port.js';
import { createSqliteSubscription, type SqliteSubscription } from './sqlite-subscription.js';
import { rowToRecordedEvent, type EventRow, SQLITE_SCHEMA } from './sqlite-rows.js';

export interface SqliteStoreOptions {
  /** File path, or `:memory:` for a private in-memory store. */
  readonly path: string;
  /** FULL syncs every commit to disk; NORMAL may lose the last commits on power loss (never corrupts). */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** How often live subscriptions look for commits made by other processes. */
  readonly pollIntervalMs?: number;
}

interface PendingAppend {
  readonly stream: string;
  readonly events: readonly EventToAppend[];
  readonly expected: ExpectedRevision;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

const PAGE_ROWS = 500;

/**
 * The embedded event store: one SQLite file in WAL mode. Appends made in the same event-loop turn share
 * one transaction (group commit) and so one fsync; each keeps its own revision check and atomicity.
 */
export function openSqliteStore(options: SqliteStoreOptions): EventStore {
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  db.pragma('busy_timeout = 5000');
  db.exec(SQLITE_SCHEMA);

  const statements = {
    lastRevision: db.prepare<[string], { revision: number | null }>('SELECT MAX(revision) AS revision FROM events WHERE stream = ?'),
    insert: db.prepare<[string, number, string, string, string, string, number]>(
      'INSERT INTO events (stream, revision, id, type, data, metadata, created) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    readStream: db.prepare<[string, number], EventRow>('SELECT * FROM events WHERE stream = ? AND revision >= ? ORDER BY revision'),
    readPage: db.prepare<[number, number], EventRow>('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?'),
    writeSnapshot: db.prepare<[string, number, string]>(
      'INSERT INTO snapshots (stream, revision, state) VALUES (?, ?, ?) ON CONFLICT(stream) DO UPDATE SET revision = excluded.revision, state = excluded.state',
    ),
    readSnapshot: db.prepare<[string], { revision: number; state: string }>('SELECT revision, state FROM snapshots WHERE stream = ?'),
  };

  let pending: PendingAppend[] = [];
  /** Snapshots written since the last flush, by stream (the latest wins): they share its transaction and fsync. */
  let pendingSnapshots = new Map<string, { revision: number; state: string; settles: Array<{ resolve(): void; reject(error: unknown): void }> }>();
  let flushScheduled: Promise<void> | undefined;
  const subscriptions = new Set<SqliteSubscription>();
  let lastDataVersion = readDataVersion();
  let pollTimer: NodeJS.Timeout | undefined;
  /**
   * Every live subscription wakes on the same commit and asks for the same page: they share one
   * query. The page is forgotten at each commit seen (notifySubscribers) and at the end of the
   * event-loop turn, so no reader sees it staler than a read made in the same turn.
   */
  let sharedPage: { readonly after: LogPosition; readonly page: RecordedEvent[] } | undefined;

  function readDataVersion(): number {
    return db.pragma('data_version', { simple: true }) as number;
  }

  function checkRevision(stream: string, expected: ExpectedRevision): number {
    const last = statements.lastRevision.get(stream)?.revision ?? -1;
    const holds =
      expected === 'any' ||
      (expected === 'no_stream' && last === -1) ||
      (expected === 'stream_exists' && last >= 0) ||
      expected === last;
    if (!holds) throw new WrongExpectedRevisionError(stream, expected, last === -1 ? 'no_stream' : last);
    return last;
  }

  function appendNow(item: PendingAppend): AppendResult {
    let revision = checkRevision(item.stream, item.expected);
    let position = 0;
    const createdAtMs = Date.now();
    // The events of one decision usually share one metadata object: serialise it once.
    let lastMetadata: unknown;
    let metadata = '';
    for (const event of item.events) {
      revision += 1;
      if (event.metadata !== lastMetadata || metadata === '') {
        lastMetadata = event.metadata;
        metadata = JSON.stringify(event.metadata ?? {});
      }
      const info = statements.insert.run(item.stream, revision, event.id ?? randomUUID(), event.type, JSON.stringify(event.data), metadata, createdAtMs);
      position = Number(info.lastInsertRowid);
    }
    return { nextRevision: revision, position: BigInt(position) };
  }

  /** Runs `item` inside the current transaction, in a savepoint so that its failure undoes only itself. */
  const appendInSavepoint = db.transaction((item: PendingAppend) => appendNow(item));

  function scheduleFlush(): void {
    flushScheduled ??= new Promise<void>((done) => setImmediate(() => (flush(), done())));
  }

  function flush(): void {
    const batch = pending;
    const snapshots = pendingSnapshots;
    pending = [];
    pendingSnapshots = new Map();
    flushScheduled = undefined;
    const outcomes: Array<{ ok: true; result: AppendResult } | { ok: false; error: unknown }> = [];
    let snapshotError: unknown;
    const runBatch = db.transaction(() => {
      for (const [stream, snapshot] of snapshots) {
        try {
          statements.writeSnapshot.run(stream, snapshot.revision, snapshot.state);
        } catch (error) {
          snapshotError = error;
        }
      }
      for (const item of batch) {
        try {
          outcomes.push({ ok: true, result: appendInSavepoint(item) });
        } catch (error) {
          outcomes.push({ ok: false, error });
        }
      }
    });
    try {
      runBatch.immediate();
    } catch (error) {
      outcomes.length = 0;
      for (const _ of batch) outcomes.push({ ok: false, error });
      snapshotError = error;
    }
    for (const snapshot of snapshots.values()) {
      for (const settle of snapshot.settles) snapshotError === undefined ? settle.resolve() : settle.reject(snapshotError);
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.result);
      else item.reject(outcome.error);
    });
    if (outcomes.some((outcome) => outcome.ok)) notifySubscribers();
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

  function readPage(after: LogPosition): RecordedEvent[] {
    if (sharedPage?.after === after) return sharedPage.page;
    const page = statements.readPage.all(Number(after), PAGE_ROWS).map(rowToRecordedEvent);
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
      const queued = pendingSnapshots.get(stream);
      if (queued !== undefined) return { revision: queued.revision, state: JSON.parse(queued.state) };
      const row = statements.readSnapshot.get(stream);
      return row && { revision: row.revision, state: JSON.parse(row.state) };
    },

    async close() {
      await flushScheduled;
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      if (pollTimer) clearInterval(pollTimer);
      db.close();
    },
  };
  return store;
}
