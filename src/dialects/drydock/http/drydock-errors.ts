import { asJsonObject, type ErrorFormatter, type ErrorShape } from '../../../http/errors.js';

/**
 * Drydock's family (`/api/v1.0/`): every failure is `{"type": "error", "message": ..., "retry": ...}`.
 * Only the error path's 503 (the event store cannot write) is worth retrying.
 */
export const formatDrydockError: ErrorFormatter = (error) => ({
  contentType: 'application/json',
  body: { type: 'error', message: error.message, retry: error.status === 503 },
});

/** `{"type": "error", "message": "...", "retry": <bool>}`, whatever else a route wrote beside it. */
export const isDrydockError: ErrorShape = (body) => {
  const error = asJsonObject(body);
  return error?.type === 'error' && typeof error.message === 'string' && typeof error.retry === 'boolean';
};
