import { ByteReader } from './log-codec.js';

export const SLAB_BYTES = 1 << 20;

/**
 * Byte slabs lines are appended to. A line's address is its slab's index × `SLAB_BYTES` plus its
 * offset there; a line longer than a slab gets a slab of its own, so every line starts within the
 * first `SLAB_BYTES` of its slab.
 */
export class LogSlabs {
  private readonly slabs: Buffer[] = [];
  /** The slab lines are appended to, and where the next one goes: full to start with, so the first line opens one. */
  slab = Buffer.alloc(0);
  end = SLAB_BYTES;

  /** Makes room for a line of at most `bytes` bytes at `end`, and returns the address there. */
  reserve(bytes: number): number {
    if (this.end + bytes > SLAB_BYTES) {
      this.slab = Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, bytes));
      this.slabs.push(this.slab);
      this.end = 0;
    }
    return (this.slabs.length - 1) * SLAB_BYTES + this.end;
  }

  reader(address: number): ByteReader {
    const slab = this.slabs[Math.floor(address / SLAB_BYTES)];
    if (slab === undefined) throw new RangeError(`no log line at ${address}`);
    return new ByteReader(slab, address % SLAB_BYTES);
  }
}
