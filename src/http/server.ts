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

/** How long a client may take to send a request: slow or stalled senders must not hold sockets. */
export interface RequestTimeouts {
  /** From the connection (or the previous request) to the end of the headers. */
  readonly headersTimeoutMs: number;
  /** To the end of the whole request, body included; a value below `headersTimeoutMs` counts as it. */
  readonly requestTimeoutMs: number;
}

/**
 * Node's own defaults (60 s, 300 s, checked every 30 s) let 200 connections sending their headers a
 * byte at a time live for minutes. A labpool request is small: ten seconds for headers, thirty for
 * all of it. A response (the event tail's stream) may last as long as it likes.
 */
export const DEFAULT_REQUEST_TIMEOUTS: RequestTimeouts = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 };

/** Starts serving `app` on `host:port`; `port` 0 picks a free port. */
export async function listen(app: Koa, host: string, port: number, timeouts: RequestTimeouts = DEFAULT_REQUEST_TIMEOUTS): Promise<ListeningServer> {
  const handle = app.callback();
  const server = createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      // Node refuses a request timeout shorter than the headers'.
      requestTimeout: Math.max(timeouts.requestTimeoutMs, timeouts.headersTimeoutMs),
      // Node looks for overdue requests this often: a tenth of the shortest timeout, at most a second.
      connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(timeouts.headersTimeoutMs / 10))),
    },
    // Koa's handler answers its own errors: the promise it returns never rejects.
    (request, response) => void handle(request, response),
  );
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
