import { accept, reject, type Decider } from '../../../domain/decider.js';
import { eventTypes } from '../../../domain/to-domain-event.js';

/**
 * Request ids are reserved in blocks, durably, before anything refers to one: a device attached to a
 * request that a crash kept from opening still names an id nobody else will be given.
 * Stream `requestids-lab`, shared by every server: its expected revision serialises them.
 */
export type RequestIdsEvent = {
  readonly type: 'RequestIdsReserved';
  readonly data: { readonly from: number; readonly to: number; readonly server: string; readonly atMs: number };
};

export type RequestIdsCommand = {
  readonly type: 'Reserve';
  readonly count: number;
  /** Ids up to here may exist without a reservation (requests of stores older than reservations). */
  readonly above: number;
  readonly server: string;
  readonly nowMs: number;
};

export type RequestIdsState = { readonly highest: number };

export const REQUEST_IDS_STREAM_ID = 'lab';

export const requestIdsDecider: Decider<RequestIdsCommand, RequestIdsEvent, RequestIdsState> = {
  initialState: { highest: 0 },
  knownEventTypes: eventTypes<RequestIdsEvent>({ RequestIdsReserved: true }),
  decide(command, state) {
    if (!Number.isInteger(command.count) || command.count < 1) return reject('bad_count', `cannot reserve ${command.count} ids`);
    const from = Math.max(state.highest, command.above) + 1;
    return accept({ type: 'RequestIdsReserved', data: { from, to: from + command.count - 1, server: command.server, atMs: command.nowMs } });
  },
  evolve: (state, event) => ({ highest: Math.max(state.highest, event.data.to) }),
};
