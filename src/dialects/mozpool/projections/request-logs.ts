import { describeRequestEvent } from './request-log-lines.js';
import { createStreamLogs, type StreamLogs } from '../../../projections/lab/stream-logs.js';

/** Lines kept in memory per request: far more than a lease's life writes, but a bound all the same. */
export const MAX_REQUEST_LOG_LINES = 1_000;

export function createRequestLogs(maxLinesPerRequest = MAX_REQUEST_LOG_LINES): StreamLogs {
  return createStreamLogs({
    name: 'mozpool-request-logs',
    category: 'request',
    describe: describeRequestEvent,
    maxLinesPerStream: maxLinesPerRequest,
  });
}
