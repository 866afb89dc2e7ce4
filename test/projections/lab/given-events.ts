import { matchesFilter, type Json, type RecordedEvent } from '../../../src/store/port.js';
import { createLabReadModels } from '../../../src/projections/lab/lab-read-models.js';
import { createRequestReadModel, type MozpoolReadModels } from '../../../src/dialects/mozpool/projections/mozpool-read-models.js';

/** An event as a test writes it: the store fills in id, revision, position and time. */
export type GivenEvent = {
  readonly stream: string;
  readonly type: string;
  readonly data: Json;
};

/** The read models (the lab's and MozPool's requests) after the given events, plus `and` to feed more events to the same models. */
export type GivenLab = MozpoolReadModels & {
  and(events: readonly GivenEvent[]): GivenLab;
};

/** Store time of the first given event; each later one is a second later. */
export const CREATED_AT_MS = Date.UTC(2024, 0, 1);

/** `given(events).then…`: folds `events`, as a store would record them, into fresh read models. */
export function given(events: readonly GivenEvent[]): GivenLab {
  const lab = createLabReadModels();
  const mozpool = createRequestReadModel(lab.readModels.devices);
  const readModels: MozpoolReadModels = { ...lab.readModels, requests: mozpool.requests };
  const projections = [...lab.projections, ...mozpool.projections];
  const revisions = new Map<string, number>();
  let position = 0n;

  function feed(more: readonly GivenEvent[]): GivenLab {
    for (const event of more) {
      const revision = (revisions.get(event.stream) ?? -1) + 1;
      revisions.set(event.stream, revision);
      position += 1n;
      const recorded: RecordedEvent = {
        ...event,
        id: `event-${position}`,
        revision,
        position,
        metadata: {},
        createdAtMs: CREATED_AT_MS + Number(position) * 1000,
      };
      for (const projection of projections) if (matchesFilter(recorded, projection.filter)) projection.apply(recorded);
    }
    return given;
  }

  const given: GivenLab = { ...readModels, and: feed };
  return feed(events);
}
