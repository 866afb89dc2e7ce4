import type { EventMetadata, Json, LogPosition, RecordedEvent } from './port.js';

/** An event this store just committed, built from what the appender gave instead of read back from the file. */
export class CommittedEvent implements RecordedEvent {
  constructor(
    readonly id: string,
    readonly stream: string,
    readonly revision: number,
    readonly position: LogPosition,
    readonly type: string,
    readonly data: Json,
    readonly metadata: EventMetadata,
    readonly createdAtMs: number,
  ) {}
}

/**
 * The events of this store's latest commits, in position order and without gaps. Live subscribers
 * read right after each commit: they are served from here rather than reading back and parsing the
 * rows just written. Only a run that starts exactly after the reader's position is served, so events
 * another process committed in between are never skipped: those reads go to the file.
 */
export class RecentEvents {
  private events: RecordedEvent[] = [];

  constructor(private readonly maxEvents: number) {}

  /** Adds one commit's events (in position order); a gap before them starts the window again. */
  add(committed: readonly RecordedEvent[]): void {
    const first = committed[0];
    if (first === undefined) return;
    const last = this.events.at(-1);
    if (last === undefined || last.position + 1n !== first.position) this.events = [];
    for (const event of committed) this.events.push(event);
    if (this.events.length > this.maxEvents) this.events = this.events.slice(this.events.length - this.maxEvents);
  }

  /** Up to `limit` events right after `position`, or undefined when the window does not start at or before it. */
  after(position: LogPosition, limit: number): RecordedEvent[] | undefined {
    const first = this.events[0];
    if (first === undefined || first.position > position + 1n) return undefined;
    const start = Number(position + 1n - first.position);
    if (start >= this.events.length) return undefined;
    return this.events.slice(start, start + limit);
  }
}
