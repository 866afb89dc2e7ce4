import type { LogEntry } from '../read-models.js';
import { isoUtc } from './event-time.js';

/**
 * A log line as kept in memory: the epoch ms it is dated at (so `sinceMs` filters need no date
 * parsing) instead of its ISO timestamp, which is only formatted when the line is read. A lab's
 * logs hold millions of lines after a replay: one flat object each, no string per timestamp.
 */
export type DatedLogEntry = Omit<LogEntry, 'timestamp'> & {
  readonly atMs: number;
};

function toLogEntry(line: DatedLogEntry): LogEntry {
  return { id: line.id, timestamp: isoUtc(line.atMs), source: line.source, message: line.message };
}

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
      return limited.map(toLogEntry);
    },
  };
}
