import { createAuditFold, type AuditKind } from '../../../projections/audit/audit-kinds.js';
import { REQUEST_EVENT_TYPES } from '../domain/request-event-types.js';
import type { RequestEvent } from '../domain/request-events.js';
import { evolveRequest, initialRequestState } from '../domain/request-state.js';

/** Request ids are integers; `+7` and `007` name `request-7`, as MozPool's `int()` read them. */
export const requestAudit: AuditKind = {
  category: 'request',
  parseId: (raw) => (/^[+-]?[0-9]{1,15}$/.test(raw) ? String(Number(raw)) : undefined),
  streamOf: (id) => `request-${id}`,
  describeBadId: (raw) => `request id must be an integer, not '${raw}'`,
  fold: createAuditFold<RequestEvent, typeof initialRequestState>({ initialState: initialRequestState, evolve: evolveRequest, knownTypes: REQUEST_EVENT_TYPES }),
};
