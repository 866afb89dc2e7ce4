import { parseArgs } from 'node:util';
import type { CliIo } from './cli-io.js';
import { parseTailQuery, type RawQuery } from '../http/events/event-selection.js';
import type { WireEvent } from '../http/events/event-wire.js';
import { formatEventJson, formatEventLine } from './event-line.js';
import { DEFAULT_SERVER_URL } from './server-url.js';
import { tailServer, tailStore, type EventSink } from './tail-sources.js';

const OPTIONS = {
  device: { type: 'string', multiple: true },
  request: { type: 'string', multiple: true },
  category: { type: 'string', multiple: true },
  type: { type: 'string', multiple: true },
  from: { type: 'string' },
  json: { type: 'boolean', default: false },
  server: { type: 'string' },
  store: { type: 'string' },
  limit: { type: 'string' },
} as const;

function parseLimit(value: string | undefined): number {
  if (value === undefined) return Infinity;
  if (!/^[1-9][0-9]*$/.test(value)) throw new Error(`--limit takes a positive number, not ${JSON.stringify(value)}`);
  return Number(value);
}

/** Prints each event as one line, and calls `stop` once `limit` events are out. */
function createPrinter(write: (text: string) => void, format: (event: WireEvent) => string, limit: number, stop: () => void): EventSink {
  let printed = 0;
  return (event) => {
    if (printed >= limit) return;
    write(`${format(event)}\n`);
    printed += 1;
    if (printed >= limit) stop();
  };
}

function toSearchParams(query: RawQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) for (const item of typeof value === 'string' ? [value] : (value ?? [])) params.append(name, item);
  return params;
}

/**
 * `labpool tail [--device X] [--request N] [--category C] [--type T] [--from P] [--json] [--limit N]
 * [--server URL | --store <sqlite file | esdb URL>]`: one line per event until `io.stop` (SIGINT) or `--limit`.
 */
export async function runTail(args: string[], io: CliIo): Promise<void> {
  const { values } = parseArgs({ args, options: OPTIONS, strict: true });
  if (values.server !== undefined && values.store !== undefined) throw new Error('give --server or --store, not both');
  const { device, request, category, type, from } = values;
  const raw: RawQuery = Object.fromEntries(Object.entries({ device, request, category, type, from }).filter(([, value]) => value !== undefined));
  const parsed = parseTailQuery(raw);
  if (!parsed.ok) throw new Error(parsed.message);
  const limitReached = new AbortController();
  const sink = createPrinter(io.stdout, values.json ? formatEventJson : formatEventLine, parseLimit(values.limit), () => limitReached.abort());
  const signal = AbortSignal.any([io.stop, limitReached.signal]);
  if (values.store !== undefined) await tailStore(values.store, parsed.value, sink, signal);
  else await tailServer(values.server ?? DEFAULT_SERVER_URL, toSearchParams(raw), sink, signal);
}
