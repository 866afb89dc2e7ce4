/**
 * Local types for `tftp` 0.1.2 (the package ships none), covering what labpool and its simulated lab
 * use. The package is CommonJS: import it as `import tftp from 'tftp'`.
 */
declare module 'tftp' {
  import type { EventEmitter } from 'node:events';
  import type { Readable, Writable } from 'node:stream';

  namespace tftp {
    /** Shared by client and server. The package turns `0` or a missing port into 69. */
    interface ClientOptions {
      /** An IP address for a server (a name throws); a name or address for a client. Default `localhost`. */
      readonly host?: string;
      readonly port?: number;
      /** Largest DATA block offered or accepted, 8..65464; default 1468. */
      readonly blockSize?: number;
      /** Blocks sent before waiting for an ACK, 1..65535; default 4. */
      readonly windowSize?: number;
      /** Retransmissions before the transfer fails with "Timed out"; default 3. */
      readonly retries?: number;
      /** Milliseconds before a retransmission; default 3000. */
      readonly timeout?: number;
    }

    interface ServerOptions extends ClientOptions {
      /** Directory served; default `.`. */
      readonly root?: string;
      readonly denyGET?: boolean;
      /** Every WRQ is answered "Cannot PUT files" before a request is emitted. */
      readonly denyPUT?: boolean;
    }

    /** What a transfer negotiated (OACK), emitted before data flows. */
    interface TransferStats {
      readonly blockSize: number;
      readonly windowSize: number;
      /** The `tsize` the other side announced, or `null` when it did not. */
      readonly size: number | null;
      readonly userExtensions: Readonly<Record<string, string>>;
      readonly retries: number;
      readonly timeout: number;
      readonly localAddress: string;
      readonly localPort: number;
      readonly remoteAddress: string;
      readonly remotePort: number;
    }

    interface TransferOptions {
      readonly md5?: string;
      readonly sha1?: string;
      readonly userExtensions?: Readonly<Record<string, string | number>>;
    }

    /** Errors carry the server's message prefixed "(Server) " when the other side sent an ERROR. */
    interface ClientGetStream extends Readable {
      /** Sends an ERROR packet (default "Aborted") and closes the socket. */
      abort(error?: unknown): void;
      /** Closes the socket without telling the server. */
      close(): void;
      on(event: 'stats', listener: (stats: TransferStats) => void): this;
      on(event: 'abort' | 'close' | 'end', listener: () => void): this;
      on(event: 'error', listener: (error: Error) => void): this;
      on(event: 'data', listener: (chunk: Buffer) => void): this;
      on(event: string | symbol, listener: (...args: unknown[]) => void): this;
    }

    interface ClientPutStream extends Writable {
      abort(error?: unknown): void;
      close(): void;
    }

    interface Client {
      createGetStream(remote: string, options?: TransferOptions): ClientGetStream;
      createPutStream(remote: string, options: TransferOptions & { readonly size: number }): ClientPutStream;
      get(remote: string, local: string, callback: (error?: Error) => void): void;
      get(remote: string, local: string, options: TransferOptions, callback: (error?: Error) => void): void;
      put(local: string, remote: string, callback: (error?: Error) => void): void;
      put(local: string, remote: string, options: TransferOptions, callback: (error?: Error) => void): void;
    }

    /**
     * The "connection" of one server transfer. For a GET (RRQ) it carries the events of the response
     * too; an `error` without a listener is thrown and crashes the process.
     */
    interface ServerRequest extends Readable {
      readonly method: 'GET' | 'PUT';
      /** Normalised (`path.normalize`) and never starting with `..`; keeps a leading `/` if sent. */
      readonly file: string;
      readonly stats: TransferStats;
      /** Sends an ERROR packet; a message equal to one of the package's error strings keeps its code. */
      abort(error?: unknown): void;
      close(): void;
    }

    interface ServerResponse extends Writable {
      /** Must be called once for a GET: it answers `tsize` in the OACK and starts the transfer. */
      setSize(size: number): void;
      setUserExtensions(extensions: Readonly<Record<string, string | number>>): void;
    }

    type RequestListener = (req: ServerRequest, res: ServerResponse) => void;

    interface Server extends EventEmitter {
      readonly host: string;
      readonly port: number;
      readonly root: string;
      /** Checks that `root` is a directory, then binds; `listening` or `error` follows. */
      listen(): void;
      /** Stops accepting requests; transfers under way go on until they end or are aborted. */
      close(): void;
      /** The default listener: serves and stores files under `root`. Only call it from a `request` listener. */
      requestListener(req: ServerRequest, res: ServerResponse): void;
    }

    function createClient(options?: ClientOptions): Client;
    function createServer(options?: ServerOptions, requestListener?: RequestListener): Server;

    /** Error messages; passing one to `abort` sends its TFTP error code. */
    const ENOENT: string;
    const EACCESS: string;
    const ENOSPC: string;
    const EBADOP: string;
    const EDENY: string;
    const EBADNAME: string;
    const EIO: string;
    const EABORT: string;
    const ETIME: string;
    const ENOGET: string;
    const ENOPUT: string;
  }

  export = tftp;
}
