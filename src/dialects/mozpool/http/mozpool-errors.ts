import { asJsonObject, type ErrorFormatter, type ErrorShape } from '../../../http/errors.js';

/** MozPool's family (`/api/`): its clients read a message from `{"error": "..."}`. */
export const formatMozpoolError: ErrorFormatter = (error) => ({
  contentType: 'application/json',
  body: { error: error.message },
});

/** `{"error": "..."}`, whatever the status. */
export const isMozpoolError: ErrorShape = (body) => typeof asJsonObject(body)?.error === 'string';
