import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summarizeData } from '../../src/cli/event-line.js';
import { readSseMessages, type SseMessage } from '../../src/cli/sse-reader.js';

async function parse(...chunks: string[]): Promise<SseMessage[]> {
  async function* body() {
    for (const chunk of chunks) yield new TextEncoder().encode(chunk);
  }
  const messages: SseMessage[] = [];
  for await (const message of readSseMessages(body())) messages.push(message);
  return messages;
}

describe('readSseMessages', () => {
  it('reads id, event and data, skipping comments and retry', async () => {
    assert.deepEqual(await parse(': hello\n\nretry: 2000\nid: 7\n\nid: 8\nevent: DeviceRetired\ndata: {"a":1}\n\n'), [
      { id: '7', data: '' },
      { id: '8', event: 'DeviceRetired', data: '{"a":1}' },
    ]);
  });

  it('joins data lines and survives lines and CRLFs split across chunks', async () => {
    assert.deepEqual(await parse('data: one\r', '\ndata: t', 'wo\r\n\r', '\n: heartbeat\r\n\r\n'), [{ data: 'one\ntwo' }]);
  });

  it('drops an unfinished block at the end of the stream', async () => {
    assert.deepEqual(await parse('id: 1\ndata: x\n'), []);
  });
});

describe('summarizeData', () => {
  it('prints fields as key=value, quoting only what needs it', () => {
    assert.equal(summarizeData({ to: 'ready', reason: 'forced by test', counter: 1, nested: { a: null } }), 'to=ready reason="forced by test" counter=1 nested={"a":null}');
  });

  it('cuts long data to one line', () => {
    const summary = summarizeData({ payload: 'x'.repeat(500) });
    assert.equal(summary.length, 120);
    assert.ok(summary.endsWith('…'));
  });
});
