import type { Json } from '../store/port.js';
import type { WireEvent } from '../http/events/event-wire.js';

/** The short data summary is cut here, so that one event stays one terminal line. */
const MAX_SUMMARY_CHARS = 120;

function formatValue(value: Json | undefined): string {
  if (typeof value === 'string') return /^[^\s"=]*$/.test(value) && value !== '' ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? 'null';
}

/** `key=value` pairs of an object's fields (strings bare when they can be), else the JSON. */
export function summarizeData(data: Json): string {
  const text =
    data !== null && typeof data === 'object' && !Array.isArray(data)
      ? Object.entries(data as Readonly<Record<string, Json>>)
          .map(([key, value]) => `${key}=${formatValue(value)}`)
          .join(' ')
      : formatValue(data);
  return text.length <= MAX_SUMMARY_CHARS ? text : `${text.slice(0, MAX_SUMMARY_CHARS - 1)}…`;
}

/** `labpool tail`'s human-readable line: `<time> <stream>@<revision> <type> <short data>`. */
export function formatEventLine(event: WireEvent): string {
  return `${event.time} ${event.stream}@${event.revision} ${event.type} ${summarizeData(event.data)}`.trimEnd();
}

/** `labpool tail --json`'s line: the event exactly as the SSE stream carries it. */
export function formatEventJson(event: WireEvent): string {
  return JSON.stringify(event);
}
