import { toDomainEvent } from '../../../domain/to-domain-event.js';
import type { Projection } from '../../../projections/projection-runner.js';
import { streamId } from '../../../projections/lab/event-time.js';
import { ONDEMAND_EVENT_TYPES, evolveOndemand, initialOndemandState, type OndemandState } from '../domain/ondemand-decider.js';

export interface OndemandIndex {
  /** The on-demand requests not yet filled, failed or deleted: the ones still taking hosts. */
  pending(): Iterable<OndemandState>;
}

export type OndemandIndexProjection = Projection & OndemandIndex;

/**
 * Pending on-demand requests (`ondemand-*`), folded with the decider's own `evolve`: at start the
 * lab resumes filling them and arms their deadlines. A request leaves the index once it is over, so
 * memory follows the open requests, not the history.
 */
export function createOndemandIndex(): OndemandIndexProjection {
  const open = new Map<string, OndemandState>();
  return {
    name: 'vmpooler-ondemand',
    filter: { streamPrefixes: ['ondemand-'] },
    apply(recorded) {
      const event = toDomainEvent(recorded, ONDEMAND_EVENT_TYPES);
      if (event === undefined) return;
      const id = streamId(recorded.stream, 'ondemand');
      const after = evolveOndemand(open.get(id) ?? initialOndemandState, event);
      if (after.id !== null && after.status === 'pending') open.set(id, after);
      else open.delete(id);
    },
    pending: () => open.values(),
  };
}
