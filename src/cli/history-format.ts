import type { Json } from '../store/port.js';
import { isoUtc } from '../projections/lab/event-time.js';
import { isReplayedState, type AuditAnswer, type HistoryEntry, type ReplayedState } from '../projections/audit/audit-replay.js';

const formatValue = (value: Json | undefined): string => (value === '' ? "''" : typeof value === 'string' ? value : JSON.stringify(value));

/** Events and states keep instants as epoch ms in `…AtMs` fields; people read them as ISO times. */
const formatField = (key: string, value: Json | undefined): string => (key.endsWith('AtMs') && typeof value === 'number' ? isoUtc(value) : formatValue(value));

/**
 * The gist of an event's data on one line: transitions read `from → to (reason)`; other fields as
 * `key=value`. `atMs` is left out because the line starts with the same instant.
 */
export function summariseData(data: Json): string {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return formatValue(data);
  const record = data as Readonly<Record<string, Json>>;
  const { from, to, reason, atMs: _atMs, ...rest } = record;
  const transition = typeof from === 'string' && typeof to === 'string' ? [`${from} → ${to}${reason === undefined ? '' : ` (${formatValue(reason)})`}`] : [];
  const others = Object.entries(transition.length > 0 ? rest : { from, to, reason, ...rest })
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${formatField(key, value)}`);
  return [...transition, ...others].join(' ');
}

export function formatHistoryEntry(entry: HistoryEntry): string {
  const who = [entry.actor === null ? undefined : `by ${entry.actor}`, entry.server === null ? undefined : `on ${entry.server}`];
  const cause = entry.cause.correlationId === null ? undefined : `correlation ${entry.cause.correlationId}`;
  const context = [...who, cause].filter((part) => part !== undefined).join(', ');
  const summary = summariseData(entry.data);
  return `${entry.time}  #${entry.revision}  ${entry.type}${summary === '' ? '' : `  ${summary}`}${context === '' ? '' : `  [${context}]`}`;
}

function formatReplayedState(subject: string, answer: ReplayedState): string[] {
  if (answer.state === null) return [`${subject} at ${answer.at}: no events yet`];
  const header = `${subject} at ${answer.at}: ${answer.mozpool_state ?? ''} (after event #${answer.revision ?? ''})`;
  const fields = Object.entries(answer.state).map(([key, value]) => `  ${key}: ${formatField(key, value as Json)}`);
  return [header, ...fields];
}

/** Human-readable lines for `labpool history`; `subject` names the stream, e.g. `device panda-0001`. */
export function formatAuditAnswer(subject: string, answer: AuditAnswer): string[] {
  if (isReplayedState(answer)) return formatReplayedState(subject, answer);
  if (answer.history.length === 0) return [`${subject}: no events in that time window`];
  return answer.history.map(formatHistoryEntry);
}
