import type { ServerResponse } from 'node:http';

export interface SseStreamOptions {
  /** A comment this often keeps proxies and idle timeouts from closing a quiet stream. */
  readonly heartbeatMs: number;
  /** A client whose socket buffer stays full this long is dropped rather than waited for forever. */
  readonly stallMs: number;
  /**
   * Messages are written at most this often per client: one socket write per client costs more than
   * the events it carries, so under load a batch of events shares one.
   */
  readonly batchMs: number;
}

/** An open Server-Sent Events response. */
export interface SseStream {
  /**
   * Writes `chunk`. While the socket buffer is full it returns a promise that settles on drain,
   * disconnect or drop: a caller that awaits it never has more than one chunk queued.
   */
  send(chunk: string): void | Promise<void>;
  /** Ends the stream with a final comment saying why. */
  end(reason: string): void;
  /** Settles once the stream is over: the client left, was dropped, or `end` was called. */
  readonly done: Promise<void>;
}

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  // nginx and its kind buffer responses unless told not to; a tail must arrive as it happens.
  'X-Accel-Buffering': 'no',
};

/** Unwritten messages are written at once when they reach this size (UTF-16 code units). */
const FLUSH_AT_CHARS = 64 * 1024;

/** An ended stream's socket gets this long to flush its final comment before it is cut. */
const END_GRACE_MS = 1_000;

/** One client's response: writes batched over `batchMs`, paused while the socket is full. */
class SseResponse implements SseStream {
  readonly done: Promise<void>;
  private finish!: () => void;
  /** Messages not written yet: they go out together once command handling had its turn. */
  private pending = '';
  private flushTimer: NodeJS.Timeout | undefined;
  /** The one send waiting for drain, if any: ending the stream releases it. */
  private releaseWaiter: (() => void) | undefined;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly res: ServerResponse,
    private readonly options: SseStreamOptions,
  ) {
    this.done = new Promise<void>((resolve) => (this.finish = resolve));
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs);
    res.once('close', () => this.stop());
    // A write racing a reset socket reports the error here; `close` follows and ends the stream.
    res.on('error', () => undefined);
  }

  send(chunk: string): void | Promise<void> {
    if (!this.isOpen()) return undefined;
    this.pending += chunk;
    // A catch-up delivers pages faster than any timer: write big batches at once, so the socket can push back.
    if (this.pending.length >= FLUSH_AT_CHARS) this.flush();
    // Never in this turn: the commit that woke the tails also answers a command, which goes first.
    else this.flushTimer ??= setTimeout(() => this.flush(), this.options.batchMs);
    return this.res.writableNeedDrain ? this.waitForDrain() : undefined;
  }

  end(reason: string): void {
    this.flush();
    this.stop();
    if (!this.isOpen()) return;
    this.res.end(`: ${reason}\n\n`);
    setTimeout(() => this.res.destroy(), END_GRACE_MS).unref();
  }

  private isOpen(): boolean {
    return !this.res.destroyed && !this.res.writableEnded;
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending !== '' && this.isOpen()) this.res.write(this.pending);
    this.pending = '';
  }

  private beat(): void {
    // Data waiting already keeps the connection busy; a heartbeat would only add to the queue.
    if (this.isOpen() && this.pending === '' && !this.res.writableNeedDrain) this.res.write(': heartbeat\n\n');
  }

  private stop(): void {
    clearInterval(this.heartbeat);
    clearTimeout(this.flushTimer);
    this.releaseWaiter?.();
    this.finish();
  }

  private waitForDrain(): Promise<void> {
    return new Promise((resolve) => {
      const stalled = setTimeout(() => this.end(`dropped: the client read nothing for ${this.options.stallMs} ms`), this.options.stallMs);
      const settle = () => {
        clearTimeout(stalled);
        this.res.off('drain', settle);
        this.releaseWaiter = undefined;
        resolve();
      };
      this.res.once('drain', settle);
      this.releaseWaiter = settle;
    });
  }
}

/**
 * Takes over `res` (the caller must keep its framework away from it) and writes the headers and
 * `preamble` at once, so the client knows it is connected before the first event.
 */
export function openSseStream(res: ServerResponse, options: SseStreamOptions, preamble: string): SseStream {
  res.writeHead(200, SSE_HEADERS);
  res.write(preamble);
  return new SseResponse(res, options);
}
