import { createSocket, type Socket } from 'node:dgram';
import tftp from 'tftp';

/** An RRQ as a PXE ROM sends it: the package's client normalises names, so traversal needs raw packets. */
export function readRequest(file: string, options: Readonly<Record<string, string>> = {}): Buffer {
  const fields = [file, 'octet', ...Object.entries(options).flat()];
  return Buffer.concat([Buffer.from([0, 1]), ...fields.map((field) => Buffer.from(`${field}\0`, 'latin1'))]);
}

export type RawReply =
  | { readonly kind: 'error'; readonly code: number; readonly message: string }
  | { readonly kind: 'oack'; readonly options: Readonly<Record<string, string>> }
  | { readonly kind: 'data'; readonly block: number; readonly payload: Buffer }
  | { readonly kind: 'other'; readonly opcode: number };

export function parseReply(packet: Buffer): RawReply {
  const opcode = packet.readUInt16BE(0);
  if (opcode === 5) return { kind: 'error', code: packet.readUInt16BE(2), message: packet.toString('latin1', 4, packet.length - 1) };
  if (opcode === 3) return { kind: 'data', block: packet.readUInt16BE(2), payload: packet.subarray(4) };
  if (opcode !== 6) return { kind: 'other', opcode };
  const fields = packet.toString('latin1', 2, packet.length - 1).split('\0');
  const options: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) options[fields[i] ?? ''] = fields[i + 1] ?? '';
  return { kind: 'oack', options };
}

/** One raw client socket: sends packets, and answers the transfer port the server replied from. */
export type RawSession = {
  /** Resolves once the packet left: closing the socket earlier would drop it. */
  send(packet: Buffer): Promise<void>;
  reply(packet: Buffer): Promise<void>;
  next(timeoutMs?: number): Promise<RawReply>;
  close(): void;
};

export async function openRawSession(port: number): Promise<RawSession> {
  const socket: Socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const queue: Buffer[] = [];
  const waiters: ((packet: Buffer) => void)[] = [];
  let transferPort = port;
  socket.on('message', (packet, rinfo) => {
    transferPort = rinfo.port;
    const waiter = waiters.shift();
    if (waiter) waiter(packet);
    else queue.push(packet);
  });
  return {
    send: (packet) => new Promise((resolve) => socket.send(packet, port, '127.0.0.1', () => resolve())),
    reply: (packet) => new Promise((resolve) => socket.send(packet, transferPort, '127.0.0.1', () => resolve())),
    next: (timeoutMs = 2_000) => nextPacket(queue, waiters, timeoutMs),
    close: () => socket.close(),
  };
}

function nextPacket(queue: Buffer[], waiters: ((packet: Buffer) => void)[], timeoutMs: number): Promise<RawReply> {
  const queued = queue.shift();
  if (queued) return Promise.resolve(parseReply(queued));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no TFTP packet within ${timeoutMs} ms`)), timeoutMs);
    waiters.push((packet) => {
      clearTimeout(timer);
      resolve(parseReply(packet));
    });
  });
}

export function errorPacket(code: number, message: string): Buffer {
  return Buffer.concat([Buffer.from([0, 5, 0, code]), Buffer.from(`${message}\0`, 'latin1')]);
}

export function ackPacket(block: number): Buffer {
  return Buffer.from([0, 4, block >> 8, block & 0xff]);
}

/** Downloads with the package's real client; short timeouts keep failing tests quick. */
export function fetchFile(port: number, remote: string, clientOptions: tftp.ClientOptions = {}): Promise<{ data: Buffer; stats: tftp.TransferStats }> {
  const client = tftp.createClient({ host: '127.0.0.1', port, retries: 1, timeout: 500, ...clientOptions });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let stats: tftp.TransferStats | undefined;
    const stream = client.createGetStream(remote);
    stream.on('stats', (negotiated) => (stats = negotiated));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('end', () => (stats ? resolve({ data: Buffer.concat(chunks), stats }) : reject(new Error('no stats'))));
  });
}
