import { asJsonObject, type ErrorFormatter, type ErrorShape } from '../../../http/errors.js';

/**
 * vmpooler's family (`/api/v1/`, `/api/v3/`): every failure is `{"ok": false}`, a 400 with what was
 * wrong in `error` (routes with richer bodies, such as `failure` lists, write them themselves).
 */
export const formatVmpoolerError: ErrorFormatter = (error) => ({
  contentType: 'application/json',
  body: error.status === 400 ? { ok: false, error: error.message } : { ok: false },
});

/** `{"ok": false, ...}`, whatever else the route wrote beside it. */
export const isVmpoolerError: ErrorShape = (body) => asJsonObject(body)?.ok === false;
