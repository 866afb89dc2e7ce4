import { Counter, Gauge, type Registry } from 'prom-client';
import { findStoreUnavailable, type StoreUnavailableError, type StoreUnavailableReason } from '../store/port.js';

/** Whether the store takes writes: writable, or refusing them since `sinceMs` (one episode). */
export type Writability = { readonly writable: true } | { readonly writable: false; readonly reason: StoreUnavailableReason; readonly sinceMs: number; readonly refusedWrites: number };

/** The start or end of an episode of refused writes: what is worth one log line. */
export type WritabilityChange =
  | { readonly kind: 'refusing'; readonly error: StoreUnavailableError }
  | { readonly kind: 'writable_again'; readonly reason: StoreUnavailableReason; readonly refusedWrites: number; readonly durationMs: number };

export const WRITABLE: Writability = { writable: true };

/**
 * The next state after a write stored (`error` undefined) or refused: an episode starts at the first
 * refusal and ends at the next write stored. Errors that are not store faults change nothing.
 */
export function nextWritability(state: Writability, error: unknown, nowMs: number): { readonly state: Writability; readonly change?: WritabilityChange } {
  if (error === undefined) {
    if (state.writable) return { state };
    const change: WritabilityChange = { kind: 'writable_again', reason: state.reason, refusedWrites: state.refusedWrites, durationMs: nowMs - state.sinceMs };
    return { state: WRITABLE, change };
  }
  const unavailable = findStoreUnavailable(error);
  if (unavailable === undefined) return { state };
  if (!state.writable) return { state: { ...state, refusedWrites: state.refusedWrites + 1 } };
  return { state: { writable: false, reason: unavailable.reason, sinceMs: nowMs, refusedWrites: 1 }, change: { kind: 'refusing', error: unavailable } };
}

/** Tells the store's metrics, and `onChange` once per start and end of an episode, about each write. */
export type WriteObserver = (error: unknown) => void;

/**
 * `labpool_store_writable` (1, or 0 while the store refuses writes) and
 * `labpool_store_refused_writes_total{reason}` (full, read_only, locked, unreachable).
 */
export function createStoreWritability(registry: Registry, onChange: (change: WritabilityChange) => void, nowMs: () => number): WriteObserver {
  const writable = new Gauge({ name: 'labpool_store_writable', help: 'Whether the event store takes writes (0 while it refuses them: full, read-only, locked, unreachable)', registers: [registry] });
  const refused = new Counter({
    name: 'labpool_store_refused_writes_total',
    help: 'Appends the event store refused for a store fault, by reason (full, read_only, locked, unreachable)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  writable.set(1);
  let state = WRITABLE;
  return (error) => {
    // The hot path: a write stored while the store is writable changes nothing.
    if (error === undefined && state.writable) return;
    const next = nextWritability(state, error, nowMs());
    state = next.state;
    const unavailable = error === undefined ? undefined : findStoreUnavailable(error);
    if (unavailable !== undefined) refused.inc({ reason: unavailable.reason });
    writable.set(state.writable ? 1 : 0);
    if (next.change !== undefined) onChange(next.change);
  };
}
