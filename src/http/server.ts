import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import { answerUnparsableRequest } from './client-errors.js';

/** A running HTTP server. */
export interface ListeningServer {
  /** Base URL, e.g. `http://127.0.0.1:8010`, with the port actually bound. */
  readonly url: string;
  /** The port actually bound; differs from the requested one when that was 0. */
  readonly port: number;
  /** Stops accepting connections and resolves once every connection is closed. */
  close(): Promise<void>;
}

/** Requests still running at close get this long to finish before their sockets are cut. */
const CLOSE_GRACE_MS = 5_000;

/** Starts serving `app` on `host:port`; `port` 0 picks a free port. */
export async function listen(app: Koa, host: string, port: number): Promise<ListeningServer> {
  const handle = app.callback();
  // Koa's handler answers its own errors: the promise it returns never rejects.
  const server = createServer((request, response) => void handle(request, response));
  server.on('clientError', answerUnparsableRequest);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const boundPort = (server.address() as AddressInfo).port;
  return { url: `http://${formatUrlHost(host)}:${boundPort}`, port: boundPort, close: () => closeServer(server) };
}

function formatUrlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    // Without this a keep-alive client would hold the process open until its socket times out.
    const forceClose = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    forceClose.unref();
    server.close((error) => {
      clearTimeout(forceClose);
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}

/** A TCP port on `host` that was free a moment ago (bind to 0, read it, release it). */
export async function findFreeTcpPort(host: string): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, host, () => resolve());
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
