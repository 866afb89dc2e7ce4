import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createApp, defaultRoutes, type RegisterRoutes } from '../../src/http/app.js';
import { listen, type ListeningServer } from '../../src/http/server.js';
import { waitFor } from '../support/wait-for.js';

/** A socket to `server` that reports when the server closed it and what it answered. */
async function openSocket(server: ListeningServer): Promise<{ socket: Socket; closed: () => boolean; answer: () => string }> {
  const socket = connect(server.port, '127.0.0.1');
  let closed = false;
  let answer = '';
  socket.on('data', (data: Buffer) => (answer += data.toString('latin1')));
  socket.on('close', () => (closed = true));
  // The server cutting a slow sender may reset the socket under a pending write.
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  return { socket, closed: () => closed, answer: () => answer };
}

describe('listen: slow and stalled clients', () => {
  let server: ListeningServer;
  const dripping = new Set<NodeJS.Timeout>();

  before(async () => {
    const echo: RegisterRoutes = (router) =>
      router.post('/labpool/test/echo', (ctx) => {
        ctx.body = ctx.request.body;
      });
    const app = createApp({ version: 'test', serverId: '127.0.0.1:0' }, { routes: [...defaultRoutes, echo] });
    server = await listen(app, '127.0.0.1', 0, { headersTimeoutMs: 300, requestTimeoutMs: 600 });
  });
  after(async () => {
    for (const timer of dripping) clearInterval(timer);
    await server.close();
  });

  /** Writes `text` one byte at a time, one byte per tick, and goes on with `then` forever. */
  function drip(socket: Socket, text: string, then: string, everyMs = 20): void {
    let i = 0;
    const timer = setInterval(() => {
      if (socket.destroyed) {
        clearInterval(timer);
        dripping.delete(timer);
        return;
      }
      socket.write(i < text.length ? text[i]! : then);
      i++;
    }, everyMs);
    dripping.add(timer);
  }

  it('closes 200 connections sending their headers a byte at a time, and serves others meanwhile', async () => {
    const slow = await Promise.all(Array.from({ length: 200 }, () => openSocket(server)));
    // A third drip their request line, a third whole header lines after it, a third one endless
    // header line after a request line sent at once: all are cut off.
    const requestLine = 'GET /api/version/ HTTP/1.1\r\nHost: x\r\n';
    for (const [i, { socket }] of slow.entries()) {
      if (i % 3 === 0) {
        drip(socket, requestLine, 'X-Slow: y\r\n');
        continue;
      }
      socket.write(requestLine);
      drip(socket, '', i % 3 === 1 ? 'X-Slow: y\r\n' : 'X', 100);
    }
    // While they drip, an ordinary client is served.
    const reply = await fetch(`${server.url}/api/version/`);
    assert.equal(reply.status, 200);
    assert.deepEqual(await reply.json(), { version: 'test' });
    await waitFor(() => slow.every((client) => client.closed()));
    // Node answers an overdue request 408 before it closes the socket.
    const answered = slow.filter((client) => client.answer().startsWith('HTTP/1.1 408 ')).length;
    assert.ok(answered > 0, 'no slow client was told 408');
  });

  it('closes a connection that never sends a byte', async () => {
    const silent = await openSocket(server);
    await waitFor(() => silent.closed());
  });

  it('closes a request whose body trickles in slower than the request timeout', async () => {
    const client = await openSocket(server);
    client.socket.write('POST /labpool/test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"pad": "');
    drip(client.socket, '', 'x');
    await waitFor(() => client.closed());
    assert.match(client.answer(), /^HTTP\/1\.1 408 /);
  });
});
