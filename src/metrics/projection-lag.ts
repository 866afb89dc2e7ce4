import { Gauge, type Registry } from 'prom-client';
import type { Projection } from '../projections/projection-runner.js';
import { LOG_START, type AppendResult, type LogPosition } from '../store/port.js';

/** Appends this server made that its projections have not applied yet. */
type PendingAppend = { position: LogPosition; events: number; readonly appendedAtMs: number };

/** Bounds memory if the projections stop: further appends merge into the newest entry. */
const MAX_PENDING_APPENDS = 10_000;

export interface ProjectionLag {
  /** Unfiltered, so it sees the position of every event the runner applies. */
  readonly projection: Projection;
  /** Report an append this server made. */
  onAppended(result: AppendResult, events: number): void;
}

/** The appends not yet applied: pushed on append, dropped once the projections pass their position. */
function createPendingAppends(nowMs: () => number) {
  let applied: LogPosition = LOG_START;
  let pending: PendingAppend[] = [];
  const prune = () => {
    if (pending.length > 0) pending = pending.filter((entry) => entry.position > applied);
  };
  return {
    applied(position: LogPosition): void {
      if (position > applied) applied = position;
      // Appends mostly resolve in log order: drop the applied head here (one event at a time, so
      // no pass over every pending append); current() prunes the rest.
      let head = 0;
      while (head < pending.length && pending[head]!.position <= applied) head++;
      if (head > 0) pending.splice(0, head);
    },
    appended(position: LogPosition, events: number): void {
      if (position <= applied) return;
      const newest = pending[pending.length - 1];
      if (pending.length < MAX_PENDING_APPENDS || newest === undefined) {
        pending.push({ position, events, appendedAtMs: nowMs() });
      } else {
        newest.events += events;
        if (position > newest.position) newest.position = position;
      }
    },
    /** Appends may resolve out of log order, so a scrape prunes them all, not just the first. */
    current(): readonly PendingAppend[] {
      prune();
      return pending;
    },
  };
}

/**
 * Projection lag as this server sees it: the events it appended whose log position its projections
 * have not reached, and how long the oldest of them has waited. Positions are not event counts on
 * EventStoreDB, so the lag is counted from our own appends; other servers' appends are not seen.
 * HTTP commands wait for their own events, so a lag that stays above zero means stuck projections.
 */
export function createProjectionLag(registry: Registry, nowMs: () => number): ProjectionLag {
  const pending = createPendingAppends(nowMs);
  new Gauge({
    name: 'labpool_projection_lag_events',
    help: 'Events appended by this server that its projections have not applied yet',
    registers: [registry],
    collect() {
      this.set(pending.current().reduce((sum, entry) => sum + entry.events, 0));
    },
  });
  new Gauge({
    name: 'labpool_projection_lag_seconds',
    help: 'How long the oldest append of this server not yet applied by its projections has waited (0 when caught up)',
    registers: [registry],
    collect() {
      const oldestMs = pending.current().reduce((oldest, entry) => Math.min(oldest, entry.appendedAtMs), Infinity);
      this.set(oldestMs === Infinity ? 0 : Math.max(0, nowMs() - oldestMs) / 1000);
    },
  });
  return {
    projection: { name: 'metrics-projection-lag', apply: (event) => pending.applied(event.position) },
    onAppended: (result, events) => pending.appended(result.position, events),
  };
}
