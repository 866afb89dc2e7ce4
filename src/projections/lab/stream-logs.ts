import type { RecordedEvent } from '../../store/port.js';
import type { Projection } from '../projection-runner.js';
import type { LogEntry } from '../read-models.js';
import { createBoundedLogs, type LogLine, type LogQuery } from '../logs/bounded-log.js';
import { eventAtMs } from './event-time.js';

export type StreamLogsOptions = {
  readonly name: string;
  /** Stream category whose streams each get a log (`device` → one log per `device-<name>`). */
  readonly category: string;
  /** The line an event adds, or undefined when it says nothing worth logging. */
  readonly describe: (event: RecordedEvent) => LogLine | undefined;
  /** True for the event after which a stream's log is dropped (a retired device). */
  readonly isForgetting?: (event: RecordedEvent) => boolean;
  /** Per stream, only the newest lines are kept in memory; the full history stays in the store. */
  readonly maxLinesPerStream: number;
};

/** A projection holding one bounded log per stream of a category, keyed by the stream's id. */
export type StreamLogs = Projection & {
  read(id: string, query?: LogQuery): readonly LogEntry[];
};

export function createStreamLogs(options: StreamLogsOptions): StreamLogs {
  const prefix = `${options.category}-`;
  /** Keyed by the stream's name, so that applying an event need not cut the id out of it. */
  const logs = createBoundedLogs(options.maxLinesPerStream);
  return {
    name: options.name,
    filter: { streamPrefixes: [prefix] },
    apply(event) {
      if (options.isForgetting?.(event)) {
        logs.delete(event.stream);
        return;
      }
      const line = options.describe(event);
      if (line !== undefined) logs.append(event.stream, eventAtMs(event), logEntryId(event), line);
    },
    read: (id, query) => logs.read(prefix + id, query),
  };
}

/** Each log is one stream, so the revision numbers its lines uniquely and in order, whatever the store's positions. */
function logEntryId(event: RecordedEvent): number {
  return event.revision + 1;
}
