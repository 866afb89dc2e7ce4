import { asJsonObject, type ErrorFormatter, type ErrorShape } from '../../../http/errors.js';

/** Statuses whose `{"ok": false}` also says what went wrong: a bad request, a store that cannot write. */
const EXPLAINED_STATUSES = new Set([400, 503]);

/**
 * vmpooler's family (`/api/v1/`, `/api/v3/`): every failure is `{"ok": false}`; a 400 says what was
 * wrong in `error`, and so does the error path's 503 (the event store cannot write), which a pool
 * that is short (`{"ok": false}` alone, written by its route) does not. Routes with richer bodies,
 * such as `failure` lists, write them themselves.
 */
export const formatVmpoolerError: ErrorFormatter = (error) => ({
  contentType: 'application/json',
  body: EXPLAINED_STATUSES.has(error.status) ? { ok: false, error: error.message } : { ok: false },
});

/** `{"ok": false, ...}`, whatever else the route wrote beside it. */
export const isVmpoolerError: ErrorShape = (body) => asJsonObject(body)?.ok === false;
