import type { ActorDefinition, Reaction } from '../../../actors/persistent-actor.js';
import type { ActorKind } from '../../../actors/actor-system.js';
import { createBootactionDecider, type BootactionState } from '../domain/bootaction-decider.js';
import type { BootactionCommand, BootactionDetail, BootactionEvent, BootactionOutcome } from '../domain/bootaction-events.js';
import { sameBootactionKey } from './bootaction-key.js';

/** The handle on the bootaction actors, once registered with the actor system. */
export type BootactionKind = ActorKind<BootactionCommand, BootactionEvent, BootactionState>;

/** One accepted report, as the deploy task records it (its details with `context_type: bootaction`). */
export type BootactionReport = {
  readonly node: string;
  readonly actionId: string;
  readonly actionName: string;
  /** The final status; null for a detail-only report. */
  readonly status: BootactionOutcome | null;
  readonly details: readonly BootactionDetail[];
};

/**
 * Told of every accepted report, after it is stored, with the id of the task that issued the action.
 * It must not block; a throw is reported by the actor system, never lost silently.
 */
export type BootactionReportListener = (taskId: string, report: BootactionReport) => void;

/** The actor of one bootaction (stream `bootaction-<ulid>`); `onReport` hears each accepted report. */
export function createBootactionActor(onReport: BootactionReportListener): ActorDefinition<BootactionCommand, BootactionEvent, BootactionState> {
  return { category: 'bootaction', decider: createBootactionDecider(sameBootactionKey), react: (reaction) => tellReports(onReport, reaction) };
}

function tellReports(onReport: BootactionReportListener, { events, state }: Reaction<BootactionEvent, BootactionState>): void {
  if (state.actionId === null) return;
  const { node, actionId, actionName, taskId } = state;
  for (const event of events) {
    if (event.type === 'BootactionDetailsAdded') onReport(taskId, { node, actionId, actionName, status: null, details: event.data.details });
    if (event.type === 'BootactionReported') onReport(taskId, { node, actionId, actionName, status: event.data.status, details: event.data.details });
  }
}
