import type { LabpoolConfig } from '../../src/config/config.js';
import type { InventoryFile } from '../../src/domain/inventory/inventory-file.js';
import { hashPassword } from '../../src/identity/password-hash.js';
import type { Logger } from '../../src/logging/logger.js';
import { startTestLab, type TestLab } from './lab-harness.js';

/** One user of each role, with the password each signs in with. */
export const TEST_USERS = [
  { name: 'ada', password: 'ada-admin-Pw-7419', roles: ['admin'] },
  { name: 'otto', password: 'otto-operator-Pw-2208', roles: ['operator'] },
  { name: 'ursula', password: 'ursula-user-Pw-5531', roles: ['user'] },
] as const;

export type TestUserName = (typeof TEST_USERS)[number]['name'];

export type HttpReply = { readonly status: number; readonly headers: Headers; readonly text: string; readonly body: any };

/** A real lab on 127.0.0.1 with {@link TEST_USERS} configured (scrypt hashes) on top of `config`. */
export async function startLabWithUsers(inventory: InventoryFile, options: { config?: Partial<LabpoolConfig>; logger?: Logger } = {}): Promise<TestLab> {
  const users = await Promise.all(TEST_USERS.map(async ({ name, password, roles }) => ({ name, hash: await hashPassword(password, 'scrypt'), roles })));
  return startTestLab(inventory, { logger: options.logger, config: { auth: { users, usersFile: null, tokenUseIntervalMs: 0 }, ...options.config } });
}

/** Sends a request; an object body goes as JSON, a `raw` one as it is. The answer is parsed when it is JSON. */
export async function send(url: string, method: string, path: string, options: { headers?: Record<string, string>; body?: unknown; raw?: string } = {}): Promise<HttpReply> {
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(`${url}${path}`, { method, headers: options.headers, body, redirect: 'manual' });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

export function basicAuth(name: string, password: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}` };
}

/** A new API token of `name` from vmpooler's `POST /api/v1/token`. */
export async function createTokenOf(url: string, name: TestUserName): Promise<string> {
  const user = TEST_USERS.find((each) => each.name === name);
  const reply = await send(url, 'POST', '/api/v1/token', { headers: basicAuth(name, user?.password ?? '') });
  if (reply.status !== 200 || typeof reply.body?.token !== 'string') throw new Error(`no token for ${name}: ${reply.status} ${reply.text}`);
  return reply.body.token as string;
}

/** The `X-Auth-Token` header. */
export const tokenHeader = (token: string): Record<string, string> => ({ 'X-Auth-Token': token });
