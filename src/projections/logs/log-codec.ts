/** A value in a log message; it becomes text (as in a template literal) only when the line is read. */
export type LogValue = string | number;

/** Kinds of value. UTF-8 cannot keep a lone surrogate, so a string that is not well-formed UTF-16 is kept as UTF-16. */
const NUMBER = 0;
const UTF8 = 1;
const UTF16 = 2;

/** Unsigned LEB128, for integers up to 2^53 (ids are stream revisions: one or two bytes). */
export const MAX_VARINT_BYTES = 8;

/** The most bytes {@link writeValue} may write for `value`. */
export function maxValueBytes(value: LogValue): number {
  return typeof value === 'number' ? 9 : 1 + MAX_VARINT_BYTES + 3 * `${value}`.length;
}

/** Writes a value at `at` (a kind byte, then a float64 or a text's byte length and bytes); returns where it ends. */
export function writeValue(bytes: Buffer, at: number, value: LogValue): number {
  if (typeof value === 'number') {
    bytes[at] = NUMBER;
    return bytes.writeDoubleLE(value, at + 1);
  }
  const text = `${value}`;
  // Nearly every text is short ASCII: copying its chars here costs less than a call to Buffer's encoder.
  if (text.length < 0x80 && writeAscii(bytes, at + 2, text)) {
    bytes[at] = UTF8;
    bytes[at + 1] = text.length;
    return at + 2 + text.length;
  }
  const wellFormed = isWellFormed(text);
  bytes[at] = wellFormed ? UTF8 : UTF16;
  return writeText(bytes, at + 1, text, wellFormed ? 'utf8' : 'utf16le');
}

/** Copies an ASCII text's chars to `at`; false, having copied some, if it is not ASCII. */
function writeAscii(bytes: Buffer, at: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char >= 0x80) return false;
    bytes[at + i] = char;
  }
  return true;
}

/** A text's byte length (varint) and bytes: written after a one-byte length, and moved on when longer. */
function writeText(bytes: Buffer, at: number, text: string, encoding: 'utf8' | 'utf16le'): number {
  const length = bytes.write(text, at + 1, encoding);
  const lengthBytes = varintBytes(length);
  if (lengthBytes > 1) bytes.copyWithin(at + lengthBytes, at + 1, at + 1 + length);
  return writeVarint(bytes, at, length) + length;
}

/** `String.prototype.isWellFormed` (ES2024, in Node 20), which TypeScript's ES2022 library does not declare. */
function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

/** Writes `value`, a safe non-negative integer, at `at`; returns where it ends. */
export function writeVarint(bytes: Buffer, at: number, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a log line number: ${value}`);
  for (; value >= 0x80; value = Math.floor(value / 0x80)) bytes[at++] = (value % 0x80) | 0x80;
  bytes[at++] = value;
  return at;
}

function varintBytes(value: number): number {
  let count = 1;
  for (; value >= 0x80; value = Math.floor(value / 0x80)) count += 1;
  return count;
}

/** Reads values written by this codec, in order, from `at`. */
export class ByteReader {
  constructor(
    readonly bytes: Buffer,
    public at: number,
  ) {}

  byte(): number {
    return this.bytes[this.at++] ?? 0;
  }

  float64(): number {
    const value = this.bytes.readDoubleLE(this.at);
    this.at += 8;
    return value;
  }

  varint(): number {
    let value = 0;
    for (let scale = 1; ; scale *= 0x80) {
      const byte = this.byte();
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
    }
  }

  value(): LogValue {
    const kind = this.byte();
    if (kind === NUMBER) return this.float64();
    const length = this.varint();
    this.at += length;
    return this.bytes.toString(kind === UTF8 ? 'utf8' : 'utf16le', this.at - length, this.at);
  }

  skip(bytes: number): this {
    this.at += bytes;
    return this;
  }

  skipVarint(): this {
    while (this.byte() >= 0x80);
    return this;
  }

  skipValue(): this {
    if (this.byte() === NUMBER) return this.skip(8);
    return this.skip(this.varint());
  }
}
