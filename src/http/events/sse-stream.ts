import type { ServerResponse } from 'node:http';

export interface SseStreamOptions {
  /** A comment this often keeps proxies and idle timeouts from closing a quiet stream. */
  readonly heartbeatMs: number;
  /** A client whose socket buffer stays full this long is dropped rather than waited for forever. */
  readonly stallMs: number;
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

/** An ended stream's socket gets this long to flush its final comment before it is cut. */
const END_GRACE_MS = 1_000;

/**
 * Takes over `res` (the caller must keep its framework away from it) and writes the headers and
 * `preamble` at once, so the client knows it is connected before the first event.
 */
export function openSseStream(res: ServerResponse, options: SseStreamOptions, preamble: string): SseStream {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const isOpen = () => !res.destroyed && !res.writableEnded;
  const heartbeat = setInterval(() => {
    // A blocked socket already has data waiting; a heartbeat would only add to the queue.
    if (isOpen() && !res.writableNeedDrain) res.write(': heartbeat\n\n');
  }, options.heartbeatMs);
  // The one send waiting for drain, if any: ending the stream releases it.
  let releaseWaiter: (() => void) | undefined;
  const stop = () => (clearInterval(heartbeat), releaseWaiter?.(), finish());
  res.once('close', stop);
  // A write racing a reset socket reports the error here; `close` follows and ends the stream.
  res.on('error', () => undefined);

  function end(reason: string): void {
    stop();
    if (!isOpen()) return;
    res.end(`: ${reason}\n\n`);
    setTimeout(() => res.destroy(), END_GRACE_MS).unref();
  }

  function waitForDrain(): Promise<void> {
    return new Promise((resolve) => {
      const stalled = setTimeout(() => end(`dropped: the client read nothing for ${options.stallMs} ms`), options.stallMs);
      const settle = () => (clearTimeout(stalled), res.off('drain', settle), (releaseWaiter = undefined), resolve());
      res.once('drain', settle);
      releaseWaiter = settle;
    });
  }

  res.writeHead(200, SSE_HEADERS);
  res.write(preamble);
  return {
    send: (chunk) => (!isOpen() || res.write(chunk) ? undefined : waitForDrain()),
    end,
    done,
  };
}
