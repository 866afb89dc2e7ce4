import { randomUUID } from 'node:crypto';
import type { LabResult } from '../actors/lab-commands.js';
import type { EventMetadata } from '../../../store/port.js';
import { httpError } from '../../../http/errors.js';
import { requestIdOf } from '../../../logging/request-logging.js';
import type { MozpoolDeps } from './mozpool-deps.js';

/** The value of a lab command, or its refusal thrown as an HttpError with the refusal's status and message. */
export function unwrapLabResult<Value>(result: LabResult<Value>): Value {
  if (result.ok) return result.value;
  throw httpError(result.status, result.message);
}

/**
 * Metadata for the events of one HTTP call: the request's id as correlation id (the one its log line
 * and `X-Request-Id` carry; a fresh UUID if no middleware gave one), this server, and who asked when known.
 */
export function createCommandMetadata(deps: MozpoolDeps, ctx: { readonly state?: unknown }, actor?: string): EventMetadata {
  const metadata: EventMetadata = { correlationId: requestIdOf(ctx) ?? randomUUID(), server: deps.serverId };
  return actor === undefined ? metadata : { ...metadata, actor };
}
