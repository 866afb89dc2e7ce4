import { STATUS_CODES } from 'node:http';
import { asJsonObject, type ErrorFormatter, type ErrorShape } from '../../../http/errors.js';

/**
 * The Device API's error body on every non-2xx answer, 404 and 405 included: `message` is the reason
 * phrase, `details` what went wrong, `code` the status. Libra's REST driver parses every error as JSON.
 */
export const formatLbaasError: ErrorFormatter = (error) => ({
  contentType: 'application/json',
  body: { message: STATUS_CODES[error.status] ?? 'Error', details: error.message, code: error.status },
});

/** `{message, details, code}` with `code` the answered status. */
export const isLbaasError: ErrorShape = (body, status) => {
  const error = asJsonObject(body);
  return error?.code === status && typeof error.message === 'string' && typeof error.details === 'string' && Object.keys(error ?? {}).length === 3;
};
