import type { LogEntry } from '../read-models.js';

/** A log line with the epoch ms it is dated at, so `sinceMs` filters need no date parsing. */
export type DatedLogEntry = {
  readonly entry: LogEntry;
  readonly atMs: number;
};

/** Which lines of a log to return: `sinceMs` keeps lines at or after it, `limit` keeps the newest N. */
export type LogQuery = {
  readonly sinceMs?: number;
  readonly limit?: number;
};

/** The newest `maxLines` lines of one log, oldest first. */
export interface BoundedLog {
  append(line: DatedLogEntry): void;
  read(query?: LogQuery): readonly LogEntry[];
}

/**
 * Keeps at most `maxLines` lines. Trimming happens once the array holds twice that, so appends stay
 * amortised O(1) instead of shifting the array on every line.
 */
export function createBoundedLog(maxLines: number): BoundedLog {
  let lines: DatedLogEntry[] = [];
  return {
    append(line) {
      lines.push(line);
      if (lines.length >= 2 * maxLines) lines = lines.slice(-maxLines);
    },
    read(query = {}) {
      const newest = lines.length > maxLines ? lines.slice(-maxLines) : lines;
      const { sinceMs, limit } = query;
      const recent = sinceMs === undefined ? newest : newest.filter((line) => line.atMs >= sinceMs);
      const limited = limit === undefined ? recent : recent.slice(Math.max(0, recent.length - Math.max(0, limit)));
      return limited.map((line) => line.entry);
    },
  };
}
