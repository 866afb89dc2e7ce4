import { SERVER_CATEGORY, SERVER_EVENT_TYPES, evolveServerLife, type ServerLife } from '../../domain/servers/server-events.js';
import { toDomainEvent } from '../../domain/to-domain-event.js';
import type { RecordedEvent } from '../../store/port.js';
import { streamId } from '../lab/event-time.js';
import type { Projection } from '../projection-runner.js';

/** Every server that ever said it was alive, by id. */
export type ServerViews = Projection & {
  get(id: string): ServerLife | undefined;
  /** Server ids, sorted. */
  ids(): readonly string[];
};

export function createServerViews(): ServerViews {
  const lives = new Map<string, ServerLife>();
  return {
    name: 'servers',
    filter: { streamPrefixes: [`${SERVER_CATEGORY}-`] },
    apply(recorded: RecordedEvent) {
      const event = toDomainEvent(recorded, SERVER_EVENT_TYPES);
      if (event === undefined) return;
      const id = streamId(recorded.stream, SERVER_CATEGORY);
      lives.set(id, evolveServerLife(lives.get(id), event));
    },
    get: (id) => lives.get(id),
    ids: () => [...lives.keys()].sort(),
  };
}
