import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { createTcpVerify } from '../../../src/hardware/verify/tcp-verify.js';
import { failLookup, withLookup } from '../../support/fake-lookup.js';
import { findFreeTcpPort } from '../../support/free-port.js';
import type { HardwareTarget } from '../../../src/lab/hardware-ports.js';

const target: HardwareTarget = { device: 'panda-0001', fqdn: '127.0.0.1', macAddress: '02:00:00:00:00:01', relayInfo: 'pdu1/1' };

async function listening(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/**
 * A listener that never accepts, found in a worker whose event loop is blocked: once its tiny backlog
 * is full, Linux drops further SYNs and a connect hangs, like a device that does not answer, all on
 * loopback.
 */
async function startBlackHole(): Promise<{ port: number; stop(): Promise<void> }> {
  const release = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const server = require('node:net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
       parentPort.postMessage(server.address().port);
       Atomics.wait(workerData, 0, 0);
       server.close();
     });`,
    { eval: true, workerData: release },
  );
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  const fillers = await fillBacklog(port);
  return {
    port,
    async stop() {
      for (const socket of fillers) socket.destroy();
      Atomics.store(release, 0, 1);
      Atomics.notify(release, 0);
      await worker.terminate();
    },
  };
}

/** Connects until one connection hangs: the accept queue is full from then on. */
async function fillBacklog(port: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < 16; i++) {
    const socket = connect({ port, host: '127.0.0.1' }).on('error', () => undefined);
    sockets.push(socket);
    const connected = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 200);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!connected) return sockets;
  }
  throw new Error('the backlog never filled: cannot simulate a host that does not answer');
}

describe('createTcpVerify', { timeout: 20_000 }, () => {
  let server: Server;
  let openPort: number;
  const accepted = new Set<Socket>();
  before(async () => {
    server = createServer((socket) => {
      accepted.add(socket);
      socket.on('close', () => accepted.delete(socket));
    });
    openPort = await listening(server);
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  it('succeeds when the port accepts, and does not keep the connection open', async () => {
    assert.deepEqual(await createTcpVerify({ timeoutMs: 2_000 }).check(target, openPort), { ok: true });
    const deadline = Date.now() + 2_000;
    while (accepted.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(accepted.size, 0);
  });

  it('connects to the address chosen by the host option', async () => {
    const verify = createTcpVerify({ timeoutMs: 2_000, host: (device) => (device.device === 'panda-0001' ? '127.0.0.2' : 'nowhere') });
    const result = await verify.check({ ...target, fqdn: 'not-resolvable.invalid' }, openPort);
    // 127.0.0.2 is loopback too, but the server listens on 127.0.0.1 only: refused proves the option was used.
    assert.deepEqual(result, { ok: false, error: `connection to 127.0.0.2:${openPort} refused (nothing listening)` });
  });

  it('fails on the refusal, not at the timeout, when the port refuses', async () => {
    const port = await findFreeTcpPort();
    // The message tells a refusal from the timeout, so no clock is needed (a slow machine may take any time).
    const result = await createTcpVerify({ timeoutMs: 5_000 }).check(target, port);
    assert.deepEqual(result, { ok: false, error: `connection to 127.0.0.1:${port} refused (nothing listening)` });
  });

  it('times out within its bound when the host does not answer', async () => {
    const blackHole = await startBlackHole();
    try {
      const started = Date.now();
      const result = await createTcpVerify({ timeoutMs: 300 }).check(target, blackHole.port);
      const elapsedMs = Date.now() - started;
      assert.deepEqual(result, { ok: false, error: `no answer from 127.0.0.1:${blackHole.port} within 300 ms` });
      // Only a lower bound: load can make the timeout late, never early.
      assert.ok(elapsedMs >= 250, `took ${elapsedMs} ms`);
    } finally {
      await blackHole.stop();
    }
  });

  for (const code of ['ENOTFOUND', 'EAI_AGAIN'] as const) {
    it(`fails with a clear reason for a name that does not resolve (${code}), without asking DNS`, async () => {
      const host = 'no-such-device.invalid';
      const result = await withLookup(host, failLookup(code, host), () => createTcpVerify({ timeoutMs: 3_000 }).check({ ...target, fqdn: host }, 22));
      assert.deepEqual(result, { ok: false, error: `cannot resolve no-such-device.invalid: ${code}` });
    });
  }

  it('fails without connecting for an invalid port or an empty address', async () => {
    const verify = createTcpVerify({ timeoutMs: 1_000 });
    assert.deepEqual(await verify.check(target, 0), { ok: false, error: 'invalid TCP port 0 for 127.0.0.1' });
    assert.deepEqual(await verify.check(target, 70_000), { ok: false, error: 'invalid TCP port 70000 for 127.0.0.1' });
    assert.deepEqual(await verify.check({ ...target, fqdn: '' }, 22), { ok: false, error: 'device panda-0001 has no address to verify' });
  });
});
