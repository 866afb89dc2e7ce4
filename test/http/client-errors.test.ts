import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../src/http/app.js';
import { listen, type ListeningServer } from '../../src/http/server.js';

/** Writes `request` as raw bytes and reads until the server closes: node's parser refuses these before koa. */
async function sendRawBytes(server: ListeningServer, request: string): Promise<string> {
  const socket = connect(server.port, '127.0.0.1');
  await once(socket, 'connect');
  let answer = '';
  socket.on('data', (data: Buffer) => (answer += data.toString('latin1')));
  socket.write(Buffer.from(request, 'latin1'));
  await once(socket, 'close');
  return answer;
}

function bodyOf(answer: string): unknown {
  return JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
}

describe('requests that are not valid HTTP', () => {
  let server: ListeningServer;
  before(async () => {
    server = await listen(createApp({ version: '0.1.0-test', serverId: '127.0.0.1:0' }), '127.0.0.1', 0);
  });
  after(() => server.close());

  it('are answered 400 in the family of their path, not with a bare 400', async () => {
    const mozpool = await sendRawBytes(server, 'GET /api/device/\xfc/status/ HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.match(mozpool, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.match(mozpool, /\r\nContent-Type: application\/json; charset=utf-8\r\n/);
    assert.deepEqual(bodyOf(mozpool), { error: 'the request is not valid HTTP' });
    assert.deepEqual(bodyOf(await sendRawBytes(server, 'GET /api/v1/vm/\xfc HTTP/1.1\r\nHost: x\r\n\r\n')), { ok: false, error: 'the request is not valid HTTP' });
    const labpool = await sendRawBytes(server, 'GET /ui/\xfc HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.match(labpool, /\r\nContent-Type: application\/problem\+json; charset=utf-8\r\n/);
    assert.equal((bodyOf(labpool) as { status: number }).status, 400);
  });

  it('finds the path after the end of the previous body on a keep-alive connection', async () => {
    const answer = await sendRawBytes(server, 'POST /labpool/nothing HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhhhhhGET /api/v1/vm/\xfc HTTP/1.1\r\nHost: x\r\n\r\n');
    const second = answer.slice(answer.lastIndexOf('HTTP/1.1 '));
    assert.match(second, /^HTTP\/1\.1 400 /);
    assert.deepEqual(bodyOf(second), { ok: false, error: 'the request is not valid HTTP' });
  });

  it('answers a broken header line in problem+json when no path could be read', async () => {
    const answer = await sendRawBytes(server, '\x00\x01garbage\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.equal((bodyOf(answer) as { status: number }).status, 400);
  });
});
