/**
 * The SSE side of bench/tail-load.ts, in its own process so that reading the streams does not
 * share the server's event loop (real tails run elsewhere). Talks to its parent over IPC:
 * `{ open: { url, count } }` → `{ opened }`; `{ report: true }` → `{ received: number[] }`; `{ close: true }` → exit.
 */
import { getStream, type StreamingResponse } from '../src/cli/http-stream.js';
import { readSseMessages } from '../src/cli/sse-reader.js';

type Request = { readonly open?: { readonly url: string; readonly count: number }; readonly report?: true; readonly close?: true };

const tails: StreamingResponse[] = [];
const received: number[] = [];

async function openTail(url: string, index: number): Promise<void> {
  const response = await getStream(new URL(url), { Accept: 'text/event-stream' });
  tails.push(response);
  received[index] = 0;
  const messages = readSseMessages(response.body);
  // The first message is the id-only preamble: once it is in, this tail is live.
  await messages.next();
  void (async () => {
    for await (const message of messages) if (message.data !== '') received[index] = (received[index] ?? 0) + 1;
  })().catch(() => undefined);
}

process.on('message', (request: Request) => {
  if (request.open !== undefined) {
    const { url, count } = request.open;
    void Promise.all(Array.from({ length: count }, (_, i) => openTail(url, i))).then(() => process.send?.({ opened: count }));
  } else if (request.report) {
    process.send?.({ received });
  } else if (request.close) {
    for (const tail of tails) tail.close();
    process.disconnect();
  }
});
