/** One Server-Sent Events message: the fields of one block up to a blank line. */
export interface SseMessage {
  readonly id?: string;
  readonly event?: string;
  /** The `data` lines joined with newlines; empty for an id-only message. */
  readonly data: string;
}

interface Block {
  id?: string;
  event?: string;
  data: string[];
  hasFields: boolean;
}

function addLine(block: Block, line: string): void {
  if (line.startsWith(':')) return;
  const colon = line.indexOf(':');
  const field = colon === -1 ? line : line.slice(0, colon);
  const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
  if (field === 'id') block.id = value;
  else if (field === 'event') block.event = value;
  else if (field === 'data') block.data.push(value);
  else return;
  block.hasFields = true;
}

function toMessage(block: Block): SseMessage {
  return { ...(block.id !== undefined && { id: block.id }), ...(block.event !== undefined && { event: block.event }), data: block.data.join('\n') };
}

const emptyBlock = (): Block => ({ data: [], hasFields: false });

/**
 * Parses an SSE body into messages (comments and `retry` skipped). Blocks that set nothing are
 * dropped; an id-only block is kept, since it moves the reader's Last-Event-ID.
 */
export async function* readSseMessages(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let pending = '';
  let block = emptyBlock();
  for await (const chunk of body) {
    const text = pending + decoder.decode(chunk, { stream: true });
    // A trailing CR may be the first half of a CRLF whose LF is in the next chunk.
    const cut = text.endsWith('\r') ? text.length - 1 : text.length;
    const lines = text.slice(0, cut).split(/\r\n|\r|\n/);
    pending = (lines.pop() ?? '') + text.slice(cut);
    for (const line of lines) {
      if (line !== '') {
        addLine(block, line);
      } else if (block.hasFields) {
        yield toMessage(block);
        block = emptyBlock();
      }
    }
  }
}
