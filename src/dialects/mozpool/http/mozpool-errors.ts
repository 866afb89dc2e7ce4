import type { ErrorFormatter } from '../../../http/errors.js';

/** MozPool's family (`/api/`): its clients read a message from `{"error": "..."}`. */
export const formatMozpoolError: ErrorFormatter = (error) => ({
  contentType: 'application/json',
  body: { error: error.message },
});
