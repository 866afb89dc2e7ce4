import type { Deadline, Decider, DomainEvent } from '../domain/decider.js';
import { toDomainEvent } from '../domain/to-domain-event.js';
import type { RecordedEvent } from '../store/port.js';
import type { Projection } from './projection-runner.js';

/** The next deadline of every stream of one category, as its events say. */
export type DeadlineIndex = Projection & {
  /** The nearest deadline of the actor `id` (stream `<category>-<id>`), if it has one. */
  deadlineOf(id: string): Deadline | undefined;
  /** Forgets everything and stops folding: once the deadlines are armed, running actors keep them. */
  release(): void;
};

/**
 * Folds each stream of `category` with the decider's own `evolve`, keeping only its `deadlineFields`:
 * a server starting on a large log arms every actor's deadline from this index instead of loading
 * every actor (which would read each stream a second time and hold every state in memory).
 */
export function createDeadlineIndex<Command, Event extends DomainEvent, State>(category: string, decider: Decider<Command, Event, State>): DeadlineIndex {
  const fields = decider.deadlineFields;
  if (fields === undefined || decider.nextDeadline === undefined) throw new Error(`the ${category} decider has no deadlineFields or nextDeadline`);
  const prefix = `${category}-`;
  const summaries = new Map<string, Partial<State>>();
  let released = false;

  function pick(state: State): Partial<State> {
    const summary: Partial<State> = {};
    for (const field of fields!) summary[field] = state[field];
    return summary;
  }

  const expand = (summary: Partial<State> | undefined): State => (summary === undefined ? decider.initialState : { ...decider.initialState, ...summary });

  return {
    name: `deadlines-${category}`,
    filter: { streamPrefixes: [prefix] },
    apply(recorded: RecordedEvent) {
      if (released) return;
      const id = recorded.stream.slice(prefix.length);
      const before = summaries.get(id);
      const state = expand(before);
      const event = toDomainEvent(recorded, decider.knownEventTypes);
      // A type from a newer version changes nothing this version can know of.
      const after = event === undefined ? state : decider.evolve(state, event);
      // Events that change nothing (log lines) come back as the same state: nothing to keep.
      if (after !== state || before === undefined) summaries.set(id, pick(after));
    },
    deadlineOf(id) {
      if (released) throw new Error(`the ${category} deadline index was released`);
      const summary = summaries.get(id);
      return summary === undefined ? undefined : decider.nextDeadline?.(expand(summary));
    },
    release() {
      released = true;
      summaries.clear();
    },
  };
}
