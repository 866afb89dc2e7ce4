import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { Router } from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { createErrorHandler, httpError, isClientErrorStatus } from '../../../http/errors.js';
import type { ListeningServer } from '../../../http/server.js';
import { attachRequestLogging } from '../../../logging/request-logging.js';
import type { Logger } from '../../../logging/logger.js';
import type { TlsCredentials } from '../lbaas-certificate.js';
import { formatLbaasError } from './lbaas-errors.js';

/** A device is a name and an address: a body larger than this is no device. */
const LBAAS_MAX_BODY_BYTES = 65_536;

/** Whatever fails while reading a body is the body's fault: a 400 (or the parser's own 4xx, 413), never a 500. */
function refuseUnreadableBody(error: Error & { readonly status?: unknown }): never {
  if (error instanceof SyntaxError) throw httpError(400, `request body is not valid JSON: ${error.message}`);
  throw isClientErrorStatus(error.status) ? error : httpError(400, `request body cannot be read: ${error.message}`);
}

/** Registers the Device API's routes on its own router. */
export type RegisterLbaasRoutes = (router: Router) => void;

/**
 * The Device API's app: alone on its port, so every error, whatever the path, is in its shape
 * (`{message, details, code}`), 404 and 405 included.
 */
export function createLbaasApp(register: RegisterLbaasRoutes, logger: Logger | undefined): Koa {
  const router = new Router();
  // Router-level: only a matched route reads a body, so 404 and 405 win over a bad one.
  router.use(bodyParser({ enableTypes: ['json'], jsonLimit: LBAAS_MAX_BODY_BYTES, detectJSON: () => true, onError: refuseUnreadableBody }));
  register(router);
  const app = new Koa();
  attachRequestLogging(app, logger);
  app.use(createErrorHandler(new Map(), formatLbaasError));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

function listenOn(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function isAddressInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'EADDRINUSE';
}

/** Where and how the Device API listens. */
export type LbaasListenOptions = {
  readonly host: string;
  readonly port: number;
  /** The port is the default, not the operator's choice: when it is taken, any free port will do. */
  readonly portIsDefault: boolean;
  readonly tls: TlsCredentials;
};

/**
 * Serves `app` over HTTPS only: a client speaking plain HTTP to the port fails its TLS handshake and
 * its connection is closed, as the document requires HTTPS for every call.
 */
export async function listenLbaas(app: Koa, options: LbaasListenOptions): Promise<ListeningServer> {
  const handle = app.callback();
  const server = createServer({ cert: options.tls.cert, key: options.tls.key }, (request, response) => void handle(request, response));
  server.on('tlsClientError', (_error, socket) => socket.destroy());
  try {
    await listenOn(server, options.host, options.port);
  } catch (error) {
    if (!options.portIsDefault || !isAddressInUse(error)) throw error;
    // Two simulated labs on one machine: the second takes a free port and prints it.
    await listenOn(server, options.host, 0);
  }
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `https://${host}:${port}`,
    port,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
