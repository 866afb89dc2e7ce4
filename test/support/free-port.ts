import { createSocket } from 'node:dgram';
import { findFreeTcpPort as findFreeTcpPortOn } from '../../src/http/server.js';

/** A UDP port on 127.0.0.1 that was free a moment ago (bind to 0, read it, release it). */
export async function findFreeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function findFreeTcpPort(): Promise<number> {
  return findFreeTcpPortOn('127.0.0.1');
}
