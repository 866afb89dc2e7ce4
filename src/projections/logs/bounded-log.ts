import { isoUtc } from '../lab/event-time.js';
import type { LogEntry } from '../read-models.js';
import { MAX_VARINT_BYTES, maxValueBytes, writeValue, writeVarint, type LogValue } from './log-codec.js';
import { LogSlabs } from './log-slabs.js';

export type { LogValue };

/**
 * A log line as appended: who says it, and its message as a template literal's strings and the values
 * between them (see {@link lineFrom}). The template must come from a fixed set, as a tagged template's
 * strings do (one array per call site): lines refer to it by a small code.
 */
export type LogLine = {
  readonly source: string;
  readonly template: readonly string[];
  readonly values: readonly LogValue[];
};

/** A template tag for the lines `source` says: source`entering state ${to}` is formatted when read. */
export function lineFrom(source: string): (template: TemplateStringsArray, ...values: LogValue[]) => LogLine {
  return (template, ...values) => ({ source, template, values });
}

/** Which lines of a log to return: `sinceMs` keeps lines at or after it, `limit` keeps the newest N. */
export type LogQuery = {
  readonly sinceMs?: number;
  readonly limit?: number;
};

/** Many logs by key, each of its newest `maxLines` lines, oldest first. */
export interface BoundedLogs {
  /**
   * Adds the newest line of log `key`. It is dated by epoch ms (so `sinceMs` filters need no date
   * parsing); its ISO timestamp, like its message, is only formatted when the line is read.
   */
  append(key: string, atMs: number, id: number, line: LogLine): void;
  read(key: string, query?: LogQuery): readonly LogEntry[];
  delete(key: string): void;
}

export function createBoundedLogs(maxLines: number): BoundedLogs {
  if (!Number.isSafeInteger(maxLines) || maxLines < 1) throw new RangeError(`a log keeps at least one line, not ${maxLines}`);
  return new PackedLogs(maxLines);
}

/**
 * A lab's logs hold millions of lines after a replay: as an object and a message string each, they
 * took ≈ 300 bytes a line and most of a replay's time. Here every line is packed as bytes (≈ 50 of
 * them) into shared slabs, in arrival order, and its message is only formatted when read:
 *
 *   back (varint: bytes back to the previous line of its log, 0 for none) · atMs (float64)
 *   · id (varint) · source (code byte, or 255 then the source as a value)
 *   · template (varint code) · one value per gap in the template
 *
 * where a value is a kind byte, then a float64 or a text's byte length (varint) and bytes. A log is
 * only its newest line's address and its line count, at most `maxLines`: reads walk back from the
 * newest line. Older lines and those of deleted logs are dead; once they outnumber the live ones,
 * the live lines are copied to fresh slabs and the old slabs dropped, so appends stay amortised O(1).
 */
class PackedLogs implements BoundedLogs {
  private readonly logs = new Map<string, { newest: number; count: number }>();
  private readonly sources = new Codes<string>(INLINE_SOURCE);
  private readonly templates = new Codes<readonly string[]>();
  private slabs = new LogSlabs();
  private liveLines = 0;
  private deadLines = 0;

  constructor(private readonly maxLines: number) {}

  append(key: string, atMs: number, id: number, line: LogLine): void {
    const log = this.logs.get(key);
    if (log === undefined) {
      this.logs.set(key, { newest: this.write(NO_LINE, atMs, id, line), count: 1 });
      this.liveLines += 1;
      return;
    }
    log.newest = this.write(log.newest, atMs, id, line);
    if (log.count < this.maxLines) {
      log.count += 1;
      this.liveLines += 1;
    } else {
      this.deadLines += 1;
      this.compactIfMostlyDead();
    }
  }

  read(key: string, query: LogQuery = {}): readonly LogEntry[] {
    const log = this.logs.get(key);
    if (log === undefined) return [];
    const { sinceMs, limit } = query;
    const newest = lineAddresses(this.slabs, log.newest, log.count);
    const recent = sinceMs === undefined ? newest : newest.filter((address) => this.slabs.reader(address).skipVarint().float64() >= sinceMs);
    const limited = limit === undefined ? recent : recent.slice(Math.max(0, recent.length - Math.max(0, limit)));
    return limited.map((address) => this.entryAt(address));
  }

  delete(key: string): void {
    const log = this.logs.get(key);
    if (log === undefined) return;
    this.logs.delete(key);
    this.liveLines -= log.count;
    this.deadLines += log.count;
    this.compactIfMostlyDead();
  }

  /** Appends a line after `previous` (its log's newest line, or `NO_LINE`) and returns its address. */
  private write(previous: number, atMs: number, id: number, line: LogLine): number {
    const { source, template, values } = line;
    if (values.length !== template.length - 1) throw new RangeError(`a log template with ${template.length} strings takes ${template.length - 1} values, not ${values.length}`);
    const sourceCode = this.sources.encode(source);
    const templateCode = this.templates.encode(template);
    let maxBytes = 3 * MAX_VARINT_BYTES + 8 + 1 + (sourceCode === INLINE_SOURCE ? maxValueBytes(source) : 0);
    for (const value of values) maxBytes += maxValueBytes(value);
    const { slabs } = this;
    const address = slabs.reserve(maxBytes);
    const { slab } = slabs;
    let at = writeVarint(slab, slabs.end, previous === NO_LINE ? 0 : address - previous);
    at = slab.writeDoubleLE(atMs, at);
    at = writeVarint(slab, at, id);
    slab[at++] = sourceCode;
    if (sourceCode === INLINE_SOURCE) at = writeValue(slab, at, source);
    at = writeVarint(slab, at, templateCode);
    for (const value of values) at = writeValue(slab, at, value);
    slabs.end = at;
    return address;
  }

  private entryAt(address: number): LogEntry {
    const line = this.slabs.reader(address).skipVarint();
    const atMs = line.float64();
    const id = line.varint();
    const sourceCode = line.byte();
    const source = sourceCode === INLINE_SOURCE ? `${line.value()}` : this.sources.decode(sourceCode);
    const template = this.templates.decode(line.varint());
    // What the template literal would have given.
    let message = template[0] ?? '';
    for (let i = 1; i < template.length; i++) message += `${line.value()}${template[i]}`;
    return { id, timestamp: isoUtc(atMs), source, message };
  }

  private compactIfMostlyDead(): void {
    if (this.deadLines < MIN_DEAD_LINES_TO_COMPACT || this.deadLines <= this.liveLines) return;
    const old = this.slabs;
    this.slabs = new LogSlabs();
    for (const log of this.logs.values()) {
      let newest = NO_LINE;
      for (const address of lineAddresses(old, log.newest, log.count)) newest = this.copy(old, address, newest);
      log.newest = newest;
    }
    this.deadLines = 0;
  }

  /** Copies the line at `address` in `from` to the end of the current slabs, after `previous`; returns its new address. */
  private copy(from: LogSlabs, address: number, previous: number): number {
    const line = from.reader(address).skipVarint();
    const start = line.at;
    line.skip(8).skipVarint();
    if (line.byte() === INLINE_SOURCE) line.skipValue();
    const valueCount = this.templates.decode(line.varint()).length - 1;
    for (let i = 0; i < valueCount; i++) line.skipValue();
    const { slabs } = this;
    const copied = slabs.reserve(MAX_VARINT_BYTES + line.at - start);
    const at = writeVarint(slabs.slab, slabs.end, previous === NO_LINE ? 0 : copied - previous);
    slabs.end = at + line.bytes.copy(slabs.slab, at, start, line.at);
    return copied;
  }
}

/** Compacting a few dead lines is not worth a pass over every log. */
const MIN_DEAD_LINES_TO_COMPACT = 1_000;

const NO_LINE = -1;

/** The addresses of a log's newest `count` lines, oldest first. */
function lineAddresses(slabs: LogSlabs, newest: number, count: number): number[] {
  const addresses = new Array<number>(count);
  for (let i = count - 1, address = newest; i >= 0; i--) {
    addresses[i] = address;
    if (i > 0) address -= slabs.reader(address).varint();
  }
  return addresses;
}

/** Small codes for the few values of a kind (sources, templates), up to `limit` of them. */
class Codes<T> {
  private readonly values: T[] = [];
  private readonly codes = new Map<T, number>();

  constructor(private readonly limit = Infinity) {}

  /** The value's code, or `limit` when all codes are taken. */
  encode(value: T): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      if (this.values.length === this.limit) return this.limit;
      code = this.values.push(value) - 1;
      this.codes.set(value, code);
    }
    return code;
  }

  decode(code: number): T {
    const value = this.values[code];
    if (value === undefined) throw new RangeError(`no value has code ${code}`);
    return value;
  }
}

/** Sources are few (`statemachine`, `bmm`, …): the first 255 get a one-byte code, any other is written out. */
const INLINE_SOURCE = 255;
