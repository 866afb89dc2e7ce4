import { accept, reject, type Decider } from '../../../domain/decider.js';
import { eventTypes } from '../../../domain/to-domain-event.js';

/**
 * The Device API's ids are inventory ids, given in order and never reused. Each one a create takes
 * is recorded here first, on one stream every server shares (`lbaasids-lab`): its expected revision
 * serialises the servers, so two creates at once, on two servers, never take the same id.
 */
export type LbaasIdsEvent = {
  readonly type: 'LbaasIdTaken';
  readonly data: { readonly id: number; readonly name: string; readonly server: string; readonly atMs: number };
};

export type LbaasIdsCommand = {
  readonly type: 'Take';
  /** The highest inventory id in use (the registry's): devices the inventory file or older stores gave ids. */
  readonly above: number;
  /** The device the id is for. */
  readonly name: string;
  readonly server: string;
  readonly nowMs: number;
};

export type LbaasIdsState = { readonly highest: number };

export const LBAAS_IDS_STREAM_ID = 'lab';

export const lbaasIdsDecider: Decider<LbaasIdsCommand, LbaasIdsEvent, LbaasIdsState> = {
  initialState: { highest: 0 },
  knownEventTypes: eventTypes<LbaasIdsEvent>({ LbaasIdTaken: true }),
  decide(command, state) {
    if (!Number.isInteger(command.above) || command.above < 0) return reject('bad_above', `no id can follow ${command.above}`);
    const id = Math.max(state.highest, command.above) + 1;
    return accept({ type: 'LbaasIdTaken', data: { id, name: command.name, server: command.server, atMs: command.nowMs } });
  },
  evolve: (state, event) => ({ highest: Math.max(state.highest, event.data.id) }),
};
