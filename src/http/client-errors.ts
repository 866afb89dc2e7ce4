import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorFormattersByPrefix } from './app.js';
import { formatProblem, httpError, selectErrorFormatter } from './errors.js';

/** What node's HTTP parser gives a `clientError` listener. */
type ParserError = Error & { readonly code?: string; readonly rawPacket?: Buffer; readonly bytesParsed?: number };

/**
 * The path of the request the parser failed on, when it can be read. The packet may begin with the
 * end of the previous request's body (a keep-alive connection), so it is the last request line that
 * starts before the point of failure.
 */
function pathOf(error: ParserError): string {
  const packet = error.rawPacket?.toString('latin1') ?? '';
  const failedAt = error.bytesParsed ?? packet.length;
  let path = '/';
  for (const match of packet.matchAll(/([A-Z]+) (\S+) HTTP\/\d/g)) if (match.index <= failedAt) path = match[2] ?? path;
  return path;
}

function statusOf(error: ParserError): number {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 431;
  return error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
}

/**
 * Answers a request node's parser refused (a raw byte above 0x7f in the path, a broken header) before
 * any route saw it: node would write a bare 400; this writes it in the family of the path it could
 * read, like every other error, and closes the connection.
 */
export function answerUnparsableRequest(error: ParserError, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = statusOf(error);
  const path = pathOf(error);
  const { contentType, body } = selectErrorFormatter(path, errorFormattersByPrefix, formatProblem)(httpError(status, 'the request is not valid HTTP'));
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const head = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`, `Content-Type: ${contentType}; charset=utf-8`, `Content-Length: ${Buffer.byteLength(text)}`, 'Connection: close'];
  // As node does for its own answer: write, then destroy. `end` alone half-closes, and a client that
  // keeps sending (a slow sender cut off by the headers timeout) kept the socket open for good.
  socket.write(`${head.join('\r\n')}\r\n\r\n${text}`);
  socket.destroy();
}
