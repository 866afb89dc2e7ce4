import { once } from 'node:events';
import { realpath } from 'node:fs/promises';
import tftp from 'tftp';
import { serveFile } from './serve-file.js';

export type TftpServerOptions = {
  /** An IP address to bind (the package refuses host names); `0.0.0.0` for every interface. */
  readonly host: string;
  /** 1..65535: 69 in production. The package silently turns 0 into 69, so 0 is refused here. */
  readonly port: number;
  /** The directory served read-only (the PXE writer's `tftpRoot`). */
  readonly root: string;
  /** How long `stop` waits for a transfer that does not answer its abort; default 2 s. */
  readonly stopGraceMs?: number;
  /**
   * Told of socket errors and failed transfers (client aborts and timeouts included: PXE ROMs often
   * abort after learning a file's size). None of them stops the server. Default: ignored.
   */
  readonly onError?: (error: Error, where: string) => void;
};

export type RunningTftpServer = {
  readonly host: string;
  readonly port: number;
  /** Stops accepting requests and aborts transfers under way; resolves once the sockets are closed. */
  stop(): Promise<void>;
};

/** A transfer that never answers its abort must not keep `stop` waiting for ever. */
const DEFAULT_STOP_GRACE_MS = 2_000;

/**
 * Serves `root` read-only over TFTP (octet mode; `tsize`, `blksize` and `windowsize` answered with an
 * OACK, as PXE ROMs expect). Writes are refused by the package (`denyPUT`), paths leaving the root
 * (`../`, symlinks out of it) with a TFTP error. Rejects when the root is missing or the port is taken.
 */
export async function startTftpServer(options: TftpServerOptions): Promise<RunningTftpServer> {
  const { host, port } = options;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new RangeError(`TFTP port must be 1..65535, not ${port}`);
  const report = options.onError ?? (() => undefined);
  const rootRealPath = await realpath(options.root);
  const context: ServingContext = { rootRealPath, transfers: new Set(), report };
  let stopping = false;
  const server = tftp.createServer({ host, port, root: rootRealPath, denyPUT: true }, (req, res) => {
    if (stopping) refuse(req, report);
    else handleRequest(context, req, res);
  });
  server.on('error', (error: Error) => report(error, `TFTP server ${host}:${port}`));
  await listen(server);
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping = true;
    stopped ??= stopServer(server, context.transfers, options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
    return stopped;
  };
  return { host, port, stop };
}

type ErrorReporter = NonNullable<TftpServerOptions['onError']>;

type ServingContext = {
  readonly rootRealPath: string;
  /** Transfers under way, aborted by `stop`. */
  readonly transfers: Set<tftp.ServerRequest>;
  readonly report: ErrorReporter;
};

function handleRequest({ rootRealPath, transfers, report }: ServingContext, req: tftp.ServerRequest, res: tftp.ServerResponse): void {
  const where = `TFTP ${req.method} ${req.file} from ${req.stats.remoteAddress}:${req.stats.remotePort}`;
  // Without a listener, a request's error (client abort, timeout) is thrown and ends the process.
  req.on('error', (error: Error) => report(error, where));
  // denyPUT answers WRQs before they get here; this only guards against that ever changing.
  if (req.method !== 'GET') {
    req.abort(tftp.ENOPUT);
    return;
  }
  transfers.add(req);
  req.once('close', () => transfers.delete(req));
  serveFile(rootRealPath, req, res).catch((error: unknown) => {
    report(error instanceof Error ? error : new Error(String(error)), where);
    req.abort(tftp.EIO);
  });
}

function refuse(req: tftp.ServerRequest, report: ErrorReporter): void {
  req.on('error', (error: Error) => report(error, `TFTP ${req.method} ${req.file} while stopping`));
  req.abort(tftp.EABORT);
}

async function listen(server: tftp.Server): Promise<void> {
  // `once` rejects when 'error' comes first: root not a directory, port taken, address not local.
  const listening = once(server, 'listening');
  server.listen();
  try {
    await listening;
  } catch (error) {
    closeQuietly(server);
    throw error;
  }
}

async function stopServer(server: tftp.Server, transfers: ReadonlySet<tftp.ServerRequest>, graceMs: number): Promise<void> {
  const serverClosed = once(server, 'close');
  const transfersClosed = [...transfers].map((req) => once(req, 'close'));
  closeQuietly(server);
  for (const req of transfers) req.abort(tftp.EABORT);
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
  // A socket error while closing is reported by the server's listener; stopping goes on regardless.
  await Promise.race([Promise.all([serverClosed, ...transfersClosed]).catch(() => undefined), grace]);
  clearTimeout(timer);
}

function closeQuietly(server: tftp.Server): void {
  try {
    server.close();
  } catch {
    // The socket was never bound (listen failed): there is nothing to close.
  }
}
