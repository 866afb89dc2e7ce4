import { STATUS_CODES } from 'node:http';
import type { ErrorFormatter, ErrorShape } from '../../../http/errors.js';

/** The reason phrase of `status`, as Commissaire's clients print it (`Conflict`, `Not Found`). */
export function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/**
 * Commissaire's family (`/api/v0/`): every failure is the bare reason phrase, in plain text. What went
 * wrong in detail is in labpool's log line of the request, not the body: commctl shows the status only.
 */
export const formatCommissaireError: ErrorFormatter = (error) => ({ contentType: 'text/plain', body: reasonPhrase(error.status) });

/** The body is exactly the status's reason phrase. */
export const isCommissaireError: ErrorShape = (body, status) => body === reasonPhrase(status);
