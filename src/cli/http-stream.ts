import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** A streaming GET's answer: status and headers at once, the body as it arrives. */
export interface StreamingResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: IncomingMessage;
  /** Stops reading and closes the connection. */
  close(): void;
}

/**
 * A GET whose body is read as it arrives. node:http rather than fetch: an aborted fetch leaves
 * undici opening a fresh keep-alive connection, which holds the server's `close` (and this process) up.
 */
export function getStream(url: URL, headers: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<StreamingResponse> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, { headers, agent: false, ...(signal && { signal }) }, (body) => {
      resolve({ status: body.statusCode ?? 0, contentType: body.headers['content-type'] ?? '', body, close: () => request.destroy() });
    });
    request.once('error', reject);
    request.end();
  });
}

/** The whole body as text (for error answers, which are short). */
export async function readText(body: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of body) text += String(chunk);
  return text;
}
