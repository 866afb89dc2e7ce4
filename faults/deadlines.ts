import { openSqliteStore } from '../src/store/sqlite-store.js';

/** When no server answered: from a kill (or the first start) at `killedAtMs` to its first answer at `answeredAtMs`. */
export type Outage = { readonly killedAtMs: number; readonly answeredAtMs: number };

export type DeadlineLateness = {
  /** Deadlines that fired (each counted once, by the first event it caused). */
  readonly fired: number;
  /** Recorded before their time. */
  readonly early: string[];
  /** How late each fired, in ms: after its time, or after the server answered again when it fell in an outage. */
  readonly latenessMs: number[];
  /** The latest few, described. */
  readonly latest: string[];
};

/** A deadline due just before a kill may have fired with nothing stored yet: it fires again after the restart. */
const GRACE_BEFORE_KILL_MS = 1_000;

/**
 * Every deadline the store shows fired (events caused by `deadline:<name>@<atMs>`, lease expiries and
 * state timeouts alike), with how late: read from the store file once the servers are gone.
 */
export async function measureDeadlines(storePath: string, outages: readonly Outage[]): Promise<DeadlineLateness> {
  const store = openSqliteStore({ path: storePath, writerThread: false });
  const first = new Map<string, { atMs: number; recordedAtMs: number; stream: string }>();
  try {
    for await (const event of store.readAll()) {
      const cause = event.metadata.causationId;
      if (typeof cause !== 'string' || !cause.startsWith('deadline:')) continue;
      const key = `${event.stream} ${cause}`;
      if (first.has(key)) continue;
      first.set(key, { atMs: Number(cause.slice(cause.lastIndexOf('@') + 1)), recordedAtMs: event.createdAtMs, stream: event.stream });
    }
  } finally {
    await store.close();
  }
  const early: string[] = [];
  const late: { lateMs: number; text: string }[] = [];
  for (const [key, { atMs, recordedAtMs }] of first) {
    if (recordedAtMs < atMs) early.push(`${key} recorded at ${recordedAtMs}, ${atMs - recordedAtMs} ms early`);
    const outage = outages.find((candidate) => atMs >= candidate.killedAtMs - GRACE_BEFORE_KILL_MS && atMs <= candidate.answeredAtMs && recordedAtMs >= candidate.killedAtMs);
    // Fired before the runner saw the server answer: not late at all.
    const lateMs = Math.max(0, recordedAtMs - Math.max(atMs, outage?.answeredAtMs ?? atMs));
    late.push({ lateMs, text: `${key}: ${lateMs} ms late${outage === undefined ? '' : ` (due while the server was down, counted from its first answer)`}` });
  }
  late.sort((a, b) => b.lateMs - a.lateMs);
  return { fired: first.size, early, latenessMs: late.map((entry) => entry.lateMs), latest: late.slice(0, 5).map((entry) => entry.text) };
}
