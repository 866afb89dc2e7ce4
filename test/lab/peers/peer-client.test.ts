import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { describe, it } from 'node:test';
import { createPeerClient, PeerCallError, QUIET_MS } from '../../../src/lab/peers/peer-client.js';
import { findFreeTcpPort } from '../../support/free-port.js';

function listen(port: number, answer: (authorization: string | undefined) => { status: number; body: unknown }): Promise<Server> {
  const server = createServer((request, response) => {
    const { status, body } = answer(request.headers.authorization);
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

const close = (server: Server) => new Promise((resolve) => server.close(resolve));

describe('the peer client', () => {
  it('sends the token, and turns an answer that is not 200 into an error naming the server and the detail', async () => {
    const port = await findFreeTcpPort();
    const seen: (string | undefined)[] = [];
    const server = await listen(port, (authorization) => (seen.push(authorization), { status: 409, body: { detail: 'device x is managed by y' } }));
    try {
      const client = createPeerClient({ token: 'sixteen-chars-at-least', timeoutMs: 5_000 });
      await assert.rejects(
        client.read(`127.0.0.1:${port}`, 'device', 'x'),
        (error: Error) => error instanceof PeerCallError && /127\.0\.0\.1:\d+: answered 409: device x is managed by y/.test(error.message),
      );
      assert.deepEqual(seen, ['Bearer sixteen-chars-at-least']);
    } finally {
      await close(server);
    }
  });

  it('asks a server that did not answer again only after a quiet time: until then calls fail at once', async () => {
    const port = await findFreeTcpPort();
    let now = 1_000_000;
    const client = createPeerClient({ token: 'sixteen-chars-at-least', timeoutMs: 5_000, nowMs: () => now });
    const server = `127.0.0.1:${port}`;
    await assert.rejects(client.read(server, 'device', 'x'), (error: Error) => error instanceof PeerCallError && !error.unasked && error.message.includes('no answer'));
    // It listens now, but is not asked: the refusal comes from the client's memory.
    let calls = 0;
    const listening = await listen(port, () => (calls++, { status: 200, body: { state: { name: 'x' }, revision: 3 } }));
    try {
      await assert.rejects(client.read(server, 'device', 'x'), (error: Error) => error instanceof PeerCallError && error.unasked && error.message.includes('did not answer a moment ago'));
      assert.equal(calls, 0);
      now += QUIET_MS;
      assert.deepEqual(await client.read(server, 'device', 'x'), { state: { name: 'x' }, revision: 3 });
      assert.equal(calls, 1);
    } finally {
      await close(listening);
    }
  });
});
