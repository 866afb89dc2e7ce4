import type { Context } from 'koa';
import { asJsonObject, httpError } from '../../../http/errors.js';
import { readJsonBody } from '../../../http/read-json-body.js';

/** The body as a JSON object, as Drydock's `req_json` wants it: anything else is a 400. */
export function jsonObjectBody(ctx: Context): Readonly<Record<string, unknown>> {
  const body = asJsonObject(readJsonBody(ctx));
  if (body === undefined) throw httpError(400, 'the request body must be a JSON object');
  return body;
}
