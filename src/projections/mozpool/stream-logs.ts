import type { RecordedEvent } from '../../store/port.js';
import type { Projection } from '../projection-runner.js';
import type { LogEntry } from '../read-models.js';
import { createBoundedLog, type BoundedLog, type LogQuery } from './bounded-log.js';
import { eventAtMs, streamId } from './event-time.js';

/** What one event says in its stream's log. */
export type LogLine = {
  readonly source: string;
  readonly message: string;
};

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
  const logs = new Map<string, BoundedLog>();

  function logOf(id: string): BoundedLog {
    let log = logs.get(id);
    if (log === undefined) {
      log = createBoundedLog(options.maxLinesPerStream);
      logs.set(id, log);
    }
    return log;
  }

  return {
    name: options.name,
    filter: { streamPrefixes: [`${options.category}-`] },
    apply(event) {
      const id = streamId(event.stream, options.category);
      if (options.isForgetting?.(event)) {
        logs.delete(id);
        return;
      }
      const line = options.describe(event);
      if (line === undefined) return;
      const atMs = eventAtMs(event);
      logOf(id).append({ atMs, id: logEntryId(event), source: line.source, message: line.message });
    },
    read: (id, query) => logs.get(id)?.read(query) ?? [],
  };
}

/** Each log is one stream, so the revision numbers its lines uniquely and in order, whatever the store's positions. */
function logEntryId(event: RecordedEvent): number {
  return event.revision + 1;
}
