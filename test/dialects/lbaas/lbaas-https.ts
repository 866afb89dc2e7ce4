import { request } from 'node:https';

/** One answer of the Device API. */
export type LbaasAnswer = { readonly status: number; readonly headers: Readonly<Record<string, string | string[] | undefined>>; readonly body: any };

/**
 * One call over real HTTPS, trusting only `ca` (the lab's own certificate): a certificate that does
 * not match fails the call, where `curl -k` would let it pass.
 */
export function lbaasCall(base: string, ca: string, method: string, path: string, options: { readonly body?: string; readonly headers?: Record<string, string> } = {}): Promise<LbaasAnswer> {
  return new Promise((resolve, reject) => {
    const headers = { ...(options.body === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(options.body)) }), ...options.headers };
    const call = request(new URL(path, base), { method, ca, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) }));
    });
    call.on('error', reject);
    call.end(options.body);
  });
}
