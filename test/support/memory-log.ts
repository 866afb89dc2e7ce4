import { createLogger, type Logger, type LogLevel } from '../../src/logging/logger.js';

export type LogLine = Readonly<Record<string, unknown>>;

/** A logger whose JSON lines land in `lines`, parsed, for tests that read what was logged. */
export function createMemoryLog(level: LogLevel = 'info'): { readonly logger: Logger; readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  const destination = { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) };
  return { logger: createLogger({ level, destination }), lines };
}
