import { createApp } from '../../src/http/app.js';
import { mozpoolLabRoutes } from '../../src/dialects/mozpool/http/mozpool-routes.js';
import { listen } from '../../src/http/server.js';
import type { ListeningServer } from '../../src/http/server.js';
import { FakeLabCommands } from './fake-lab-commands.js';
import { InMemoryMozpoolReadModels } from './in-memory-mozpool-read-models.js';

/** The server id of the app under test; devices and requests owned by {@link OTHER_SERVER} redirect. */
export const THIS_SERVER = 'imaging1:8010';
export const OTHER_SERVER = 'imaging2:8010';
/** The fake clock's start: 2030-01-01T00:00:00Z. */
export const START_MS = Date.UTC(2030, 0, 1);

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON, or undefined when the body was empty. */
  readonly body: unknown;
  readonly text: string;
}

/** A MozPool app on 127.0.0.1 over a fake lab, hand-filled read models and a settable clock. */
export interface MozpoolTestServer {
  readonly lab: FakeLabCommands;
  readonly readModels: InMemoryMozpoolReadModels;
  readonly clock: { nowMs: number };
  /** Sends a request; an object body is posted as JSON without a Content-Type, like MozPool's clients. */
  send(method: string, path: string, body?: object | string): Promise<Reply>;
  close(): Promise<void>;
}

export async function startMozpoolTestServer(): Promise<MozpoolTestServer> {
  const lab = new FakeLabCommands();
  const readModels = new InMemoryMozpoolReadModels();
  const clock = { nowMs: START_MS };
  const mozpool = { serverId: THIS_SERVER, lab, readModels, nowMs: () => clock.nowMs };
  const server: ListeningServer = await listen(createApp({ version: 'test', serverId: THIS_SERVER, labRoutes: [mozpoolLabRoutes(mozpool)] }), '127.0.0.1', 0);
  async function send(method: string, path: string, body?: object | string): Promise<Reply> {
    const payload = body === undefined || typeof body === 'string' ? body : JSON.stringify(body);
    const response = await fetch(`${server.url}${path}`, { method, body: payload, redirect: 'manual' });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text), text };
  }
  return { lab, readModels, clock, send, close: () => server.close() };
}

/** `path` and `path` without its trailing slash, for tests that must pass with both. */
export function withAndWithoutSlash(path: string): readonly string[] {
  const [pathname = path, query] = path.split('?');
  const bare = pathname.replace(/\/$/, '');
  const suffix = query === undefined ? '' : `?${query}`;
  return [`${bare}/${suffix}`, `${bare}${suffix}`];
}
