/** Where the CLI finds labpool when `--server` is not given: `npm start`'s default address. */
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8010';

/** `path` (with its query) on the server at `base`, which may carry a path prefix of its own. */
export function serverUrl(base: string, path: string): URL {
  const root = base.endsWith('/') ? base : `${base}/`;
  return new URL(path.replace(/^\//, ''), root);
}

/** The failure message of a non-2xx fetch answer: MozPool's `{"error": ...}` when there is one. */
export async function describeFailure(url: URL, response: Response): Promise<string> {
  return describeAnswer(url, response.status, await response.text());
}

/** The failure message of a non-2xx answer from its status and body text. */
export function describeAnswer(url: URL, status: number, text: string): string {
  let detail = text.trim();
  try {
    const body = JSON.parse(text) as { error?: unknown; detail?: unknown };
    const reason = body.error ?? body.detail ?? detail;
    detail = typeof reason === 'string' ? reason : JSON.stringify(reason);
  } catch {
    // Not JSON: the text itself says what went wrong.
  }
  return `${url.href} answered ${status}${detail === '' ? '' : `: ${detail}`}`;
}
