import { accept, reject, type Decider, type Decision } from '../../../domain/decider.js';
import { eventTypes } from '../../../domain/to-domain-event.js';
import type { BootactionCommand, BootactionEvent, BootactionStatus, IssuedAsset } from './bootaction-events.js';
import { checkReportBody } from './bootaction-report.js';

export const BOOTACTION_EVENT_TYPES = eventTypes<BootactionEvent>({
  BootactionIssued: true,
  BootactionDetailsAdded: true,
  BootactionReported: true,
});

/**
 * Whether the key a node sent is the action's key. Injected so that the comparison can be constant
 * time (node's crypto) while this folder stays free of I/O modules; a malformed key is simply false.
 */
export type BootactionKeyMatch = (given: string, expected: string) => boolean;

export type BootactionState = {
  /** Null until issued. */
  readonly actionId: string | null;
  readonly actionName: string;
  readonly node: string;
  readonly taskId: string;
  readonly key: string;
  readonly signaling: boolean;
  readonly status: BootactionStatus;
  readonly assets: readonly IssuedAsset[];
  readonly reportUrl: string;
  readonly issuedAtMs: number;
  /** Detail messages accepted so far (they go to the task, not kept here). */
  readonly detailCount: number;
  readonly reportedAtMs: number | null;
};

export const initialBootactionState: BootactionState = {
  actionId: null,
  actionName: '',
  node: '',
  taskId: '',
  key: '',
  signaling: false,
  status: 'pending',
  assets: [],
  reportUrl: '',
  issuedAtMs: 0,
  detailCount: 0,
  reportedAtMs: null,
};

/** Rejection codes of a report, in the order they are checked; the route maps them to HTTP statuses. */
export const REPORT_REJECTIONS = { notFound: 'not_found', noKey: 'no_key', wrongKey: 'wrong_key', badBody: 'bad_body', final: 'final' } as const;

const KEY_PATTERN = /^[0-9a-f]{64}$/;

export function evolveBootaction(state: BootactionState, event: BootactionEvent): BootactionState {
  switch (event.type) {
    case 'BootactionIssued': {
      const { actionId, actionName, node, taskId, key, signaling, status, assets, reportUrl, atMs } = event.data;
      return { ...initialBootactionState, actionId, actionName, node, taskId, key, signaling, status, assets, reportUrl, issuedAtMs: atMs };
    }
    case 'BootactionDetailsAdded':
      return { ...state, detailCount: state.detailCount + event.data.details.length };
    case 'BootactionReported':
      return { ...state, status: event.data.status, detailCount: state.detailCount + event.data.details.length, reportedAtMs: event.data.atMs };
  }
}

/** Whether the action takes no more reports: reported, or never to be (`unreported`). */
export function isBootactionClosed(state: BootactionState): boolean {
  return state.status !== 'pending';
}

function issue(command: Extract<BootactionCommand, { type: 'Issue' }>, state: BootactionState): Decision<BootactionEvent> {
  if (state.actionId !== null) {
    const same = state.actionId === command.actionId && state.key === command.key && state.node === command.node;
    return same ? accept() : reject('conflict', `bootaction ${state.actionId} was issued already`);
  }
  if (!KEY_PATTERN.test(command.key)) return reject('bad_key', 'a bootaction key is 64 lowercase hex characters');
  const { actionId, actionName, node, taskId, key, signaling, assets, reportUrl, nowMs } = command;
  const status = signaling ? 'pending' : 'unreported';
  return accept({ type: 'BootactionIssued', data: { actionId, actionName, node, taskId, key, signaling, status, assets, reportUrl, atMs: nowMs } });
}

/** Drydock's order: no key, wrong key, bad body, already final; each wins over every later one. */
function report(command: Extract<BootactionCommand, { type: 'Report' }>, state: BootactionState, keysMatch: BootactionKeyMatch): Decision<BootactionEvent> {
  if (state.actionId === null) return reject(REPORT_REJECTIONS.notFound, 'no such bootaction');
  if (command.key === null) return reject(REPORT_REJECTIONS.noKey, 'X-Bootaction-Key is required');
  if (!keysMatch(command.key, state.key)) return reject(REPORT_REJECTIONS.wrongKey, 'X-Bootaction-Key does not match');
  const checked = checkReportBody(command.body);
  if (!checked.ok) return reject(REPORT_REJECTIONS.badBody, checked.message);
  if (isBootactionClosed(state)) return reject(REPORT_REJECTIONS.final, `bootaction ${state.actionId} is ${state.status}: it takes no more reports`);
  const { status, details } = checked.report;
  if (status !== null) return accept({ type: 'BootactionReported', data: { status, details, atMs: command.nowMs } });
  return details.length === 0 ? accept() : accept({ type: 'BootactionDetailsAdded', data: { details, atMs: command.nowMs } });
}

/** One bootaction of one node in one deploy, from its issue to the node's final report. */
export function createBootactionDecider(keysMatch: BootactionKeyMatch): Decider<BootactionCommand, BootactionEvent, BootactionState> {
  return {
    initialState: initialBootactionState,
    knownEventTypes: BOOTACTION_EVENT_TYPES,
    decide: (command, state) => (command.type === 'Issue' ? issue(command, state) : report(command, state, keysMatch)),
    evolve: evolveBootaction,
    isFinal: (state) => state.actionId !== null && isBootactionClosed(state),
  };
}
