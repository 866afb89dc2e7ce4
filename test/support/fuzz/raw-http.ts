import { Agent, request } from 'node:http';
import type { FuzzCase } from './fuzz-cases.js';

/** What came back, or how the exchange failed. */
export type RawReply = { readonly ok: true; readonly status: number; readonly contentType: string; readonly body: string } | { readonly ok: false; readonly failure: string };

/** Generous: a slow, loaded machine is no reason to fail; only a hang or a dropped connection is. */
const REPLY_TIMEOUT_MS = 60_000;

export function createFuzzAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 1 });
}

/**
 * Sends one case over a real socket with node:http, which (unlike fetch) keeps the path as written:
 * `%2e%2e`, raw bytes, no normalisation. A reply that arrives while the body is still being written
 * counts (the server may refuse a body before reading all of it); a reset or close before it does not.
 */
export function sendRaw(baseUrl: URL, fuzzCase: FuzzCase, requestId: string, agent: Agent): Promise<RawReply> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { ...fuzzCase.headers, 'X-Request-Id': requestId };
    if (fuzzCase.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(fuzzCase.body));
    let settled = false;
    const settle = (reply: RawReply) => {
      if (!settled) resolve(reply);
      settled = true;
    };
    let req: ReturnType<typeof request>;
    try {
      req = request({ host: baseUrl.hostname, port: baseUrl.port, method: fuzzCase.method, path: fuzzCase.rawPath, headers, agent, timeout: REPLY_TIMEOUT_MS });
    } catch (error) {
      // The client refused to send it (e.g. a character node:http will not put on the wire): nothing reached the server.
      settle({ ok: false, failure: `not sent: ${(error as Error).message}` });
      return;
    }
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status < 400) {
        // A success body is not checked, and may never end (an event stream): the status is the answer.
        settle({ ok: true, status, contentType: res.headers['content-type'] ?? '', body: '' });
        req.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => settle({ ok: true, status, contentType: res.headers['content-type'] ?? '', body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (error) => settle({ ok: false, failure: `response broken: ${error.message}` }));
    });
    req.on('timeout', () => {
      settle({ ok: false, failure: `no reply in ${REPLY_TIMEOUT_MS} ms` });
      req.destroy();
    });
    req.on('error', (error) => settle({ ok: false, failure: `connection dropped: ${error.message}` }));
    req.end(fuzzCase.body);
  });
}
