import type { LogFilter, LogPosition, RecordedEvent } from '../../store/port.js';

/** Which events a tail delivers. An empty list does not restrict its axis. */
export interface EventSelection {
  /** Stream categories: the part of a stream name before its first dash (`device`, `request`, `boot`). */
  readonly categories: readonly string[];
  /** Device names: the stream `device-<name>`, and the boot streams `boot-<name>.<n>` that earlier versions wrote. */
  readonly devices: readonly string[];
  /** Request ids: the stream `request-<id>`. */
  readonly requests: readonly string[];
  /** Event types, e.g. `DeviceStateEntered`. */
  readonly types: readonly string[];
}

/** A tail's parameters: what to deliver, and from where. */
export interface TailQuery {
  readonly selection: EventSelection;
  /** Deliver events after this position (exclusive); undefined: live only, from the current end of the log. */
  readonly from: LogPosition | undefined;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/** The query parameters a tail takes, with what a value must look like. */
const PARAMETERS = {
  category: { pattern: /^[A-Za-z][A-Za-z0-9_]*$/, meaning: 'a stream category (no dash)' },
  device: { pattern: /^[A-Za-z0-9._:-]+$/, meaning: 'a device name' },
  request: { pattern: /^[0-9]{1,15}$/, meaning: 'a request id' },
  type: { pattern: /^[A-Za-z][A-Za-z0-9_]*$/, meaning: 'an event type' },
  from: { pattern: /^[0-9]{1,40}$/, meaning: 'a log position' },
} as const;

type ParameterName = keyof typeof PARAMETERS;

/** A query as koa and URLSearchParams give it: repeated keys become arrays. */
export type RawQuery = Readonly<Record<string, string | readonly string[] | undefined>>;

function isParameterName(name: string): name is ParameterName {
  return Object.hasOwn(PARAMETERS, name);
}

/** The values of one parameter: repeated and comma-separated values both add up. */
function listOf(query: RawQuery, name: ParameterName): Parsed<string[]> {
  const raw = query[name];
  const values = (raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw).flatMap((value) => value.split(','));
  const { pattern, meaning } = PARAMETERS[name];
  const bad = values.find((value) => !pattern.test(value));
  if (bad !== undefined) return { ok: false, message: `bad parameter ${name}: ${JSON.stringify(bad)} is not ${meaning}` };
  return { ok: true, value: values };
}

function parsePosition(value: string | undefined, what: string): Parsed<LogPosition | undefined> {
  if (value === undefined) return { ok: true, value: undefined };
  if (!PARAMETERS.from.pattern.test(value)) return { ok: false, message: `bad ${what}: ${JSON.stringify(value)} is not a log position` };
  return { ok: true, value: BigInt(value) };
}

/**
 * Reads a tail's parameters (`from`, `category`, `device`, `request`, `type`). `lastEventId` (the
 * SSE `Last-Event-ID` header) wins over `from`: a reconnecting EventSource repeats its original URL.
 */
export function parseTailQuery(query: RawQuery, lastEventId?: string): Parsed<TailQuery> {
  const unknown = Object.keys(query).find((name) => !isParameterName(name));
  if (unknown !== undefined) return { ok: false, message: `unknown parameter ${unknown} (known: ${Object.keys(PARAMETERS).join(', ')})` };
  const lists = { category: listOf(query, 'category'), device: listOf(query, 'device'), request: listOf(query, 'request'), type: listOf(query, 'type'), from: listOf(query, 'from') };
  for (const list of Object.values(lists)) if (!list.ok) return list;
  const value = (list: Parsed<string[]>) => (list.ok ? list.value : []);
  const fromValues = value(lists.from);
  if (fromValues.length > 1) return { ok: false, message: 'bad parameter from: give one position' };
  const from = lastEventId === undefined ? parsePosition(fromValues[0], 'parameter from') : parsePosition(lastEventId, 'Last-Event-ID header');
  if (!from.ok) return from;
  const selection = { categories: value(lists.category), devices: value(lists.device), requests: value(lists.request), types: value(lists.type) };
  return { ok: true, value: { selection, from: from.value } };
}

export function categoryOf(stream: string): string {
  const dash = stream.indexOf('-');
  return dash === -1 ? stream : stream.slice(0, dash);
}

/** Prefixes of the streams named by device and request; categories narrow them further. */
function namedStreamPrefixes(selection: EventSelection): string[] {
  const prefixes = [...selection.devices.flatMap((device) => [`device-${device}`, `boot-${device}.`]), ...selection.requests.map((id) => `request-${id}`)];
  if (selection.categories.length === 0) return prefixes;
  return prefixes.filter((prefix) => selection.categories.includes(categoryOf(prefix)));
}

/**
 * The store-side part of a selection: it lets the store skip most events, but prefixes are loose
 * (`device-panda-1` also starts `device-panda-10`), so deliveries still pass {@link matchesSelection}.
 */
export function toLogFilter(selection: EventSelection): LogFilter | undefined {
  const named = selection.devices.length > 0 || selection.requests.length > 0;
  const streamPrefixes = named ? namedStreamPrefixes(selection) : selection.categories.length > 0 ? selection.categories.map((category) => `${category}-`) : undefined;
  const eventTypes = selection.types.length > 0 ? selection.types : undefined;
  if (streamPrefixes === undefined && eventTypes === undefined) return undefined;
  return { ...(streamPrefixes && { streamPrefixes }), ...(eventTypes && { eventTypes }) };
}

function isNamedStream(stream: string, selection: EventSelection): boolean {
  const isBootOf = (device: string) => stream.startsWith(`boot-${device}.`) && /^[0-9]+$/.test(stream.slice(`boot-${device}.`.length));
  return selection.devices.some((device) => stream === `device-${device}` || isBootOf(device)) || selection.requests.some((id) => stream === `request-${id}`);
}

/** True when `event` is one the selection asks for: every given axis must hold; devices and requests add up. */
export function matchesSelection(event: Pick<RecordedEvent, 'stream' | 'type'>, selection: EventSelection): boolean {
  if (selection.categories.length > 0 && !selection.categories.includes(categoryOf(event.stream))) return false;
  if (selection.types.length > 0 && !selection.types.includes(event.type)) return false;
  if (selection.devices.length === 0 && selection.requests.length === 0) return true;
  return isNamedStream(event.stream, selection);
}
