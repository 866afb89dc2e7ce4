import assert from 'node:assert/strict';
import { request, type OutgoingHttpHeaders } from 'node:http';
import type { Role } from '../../../../src/domain/identity/roles.js';
import { hashPassword } from '../../../../src/identity/password-hash.js';
import { startSimLabpool, type SimLabpool } from '../../../support/sim-labpool.js';
import { waitFor } from '../../../support/wait-for.js';

/** Only bounds how long a broken build takes to fail: every wait is for a condition. */
export const PATIENCE_MS = 90_000;

/** Users of each role; `bert` has a bcrypt hash, as a Commissaire users file carries over. */
export const USERS = {
  ada: { password: 'ada-admin-Pw-1931', roles: ['admin'], hash: 'scrypt' },
  otto: { password: 'otto-operator-Pw-4417', roles: ['operator'], hash: 'scrypt' },
  ursula: { password: 'ursula-user-Pw-8802', roles: ['user'], hash: 'scrypt' },
  bert: { password: 'bert-bcrypt-Pw-5150', roles: ['operator'], hash: 'bcrypt' },
} as const satisfies Record<string, { password: string; roles: readonly Role[]; hash: 'scrypt' | 'bcrypt' }>;
export type UserName = keyof typeof USERS;

export type Reply = { readonly status: number; readonly contentType: string; readonly text: string; readonly body: any };

export type CallOptions = {
  /** Default: otto, the operator. `null`: no credentials. */
  readonly user?: UserName | null;
  /** An object is sent as JSON; DELETE sends `{}` as commctl does unless `raw` says otherwise. */
  readonly body?: unknown;
  readonly raw?: string;
  readonly headers?: OutgoingHttpHeaders;
  /** The address to call from: a simulated device's own (`127.a.b.N`). */
  readonly localAddress?: string;
};

/** A simulated lab spoken to as commctl speaks: HTTP Basic, `Content-Type: application/json`. */
export type CommissaireHttpLab = {
  readonly sim: SimLabpool;
  /** The simulated devices' addresses (their fqdn in the inventory), `sim-0001` first. */
  readonly addresses: readonly string[];
  call(method: string, path: string, options?: CallOptions): Promise<Reply>;
  stop(): Promise<void>;
};

export function basic(user: UserName): string {
  return `Basic ${Buffer.from(`${user}:${USERS[user].password}`).toString('base64')}`;
}

function parse(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * One request over a fresh connection (so that `localAddress` applies), body read whole. The path goes
 * on the wire as written: no URL parser normalises `%2e%2e` or `..` away.
 */
function send(url: string, method: string, path: string, headers: OutgoingHttpHeaders, body: string | undefined, localAddress?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const sent = request({ hostname, port, path, method, headers, localAddress, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'] ?? '', text, body: parse(text) });
      });
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

export function commctlCall(url: string, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const user = options.user === undefined ? 'otto' : options.user;
  const body = options.raw ?? (options.body !== undefined ? JSON.stringify(options.body) : method === 'DELETE' ? '{}' : undefined);
  const headers: OutgoingHttpHeaders = { 'Content-Type': 'application/json', ...(user === null ? {} : { Authorization: basic(user) }), ...options.headers };
  if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);
  return send(url, method, path, headers, body, options.localAddress);
}

/** A simulated lab of `devices` with {@link USERS}; its default faults included (sim-0004 fails its self-test). */
export async function startCommissaireHttpLab(devices: number): Promise<CommissaireHttpLab> {
  const users = await Promise.all(Object.entries(USERS).map(async ([name, user]) => ({ name, hash: await hashPassword(user.password, user.hash), roles: [...user.roles] })));
  // A power cycle waits out `pc_rebooting` (two minutes by default) before it pings: keep it short.
  const lifeguardLimits = { pc_rebooting: { timeoutMs: 200, maxCount: null } };
  const sim = await startSimLabpool(devices, { auth: { users, usersFile: null, tokenUseIntervalMs: 0 }, lifeguardLimits });
  const simLab = sim.labpool.simLab;
  assert.ok(simLab, 'the sim labpool runs its simulated lab');
  return {
    sim,
    addresses: simLab.inventory.devices.map((device) => device.fqdn),
    call: (method, path, options) => commctlCall(sim.labpool.url, method, path, options),
    stop: () => sim.stop(),
  };
}

/** The answer is Commissaire's error: `status` with its bare reason phrase as plain text. */
export function assertCommissaireError(reply: Reply, status: number, phrase: string): void {
  assert.equal(reply.status, status, reply.text);
  assert.match(reply.contentType, /^text\/plain/);
  assert.equal(reply.text, phrase);
}

/** A 2xx JSON answer with `status`; returns its body. */
export function assertJson(reply: Reply, status: number): any {
  assert.equal(reply.status, status, reply.text);
  assert.match(reply.contentType, /^application\/json/);
  return reply.body;
}

/** Reads `path` until `done` holds for its body; returns that body. */
export async function waitForBody(lab: CommissaireHttpLab, path: string, done: (body: any) => boolean): Promise<any> {
  let last: Reply | undefined;
  await waitFor(async () => {
    last = await lab.call('GET', path);
    return last.status === 200 && done(last.body);
  }, PATIENCE_MS).catch((error: unknown) => {
    throw new Error(`${path} never got there; last: ${last?.status} ${last?.text}`, { cause: error });
  });
  return last!.body;
}

/** A key that looks like what commctl sends: the base64 of a private key file. */
export function sshKey(label: string): string {
  return Buffer.from(`-----BEGIN OPENSSH PRIVATE KEY-----\n${label}\n-----END OPENSSH PRIVATE KEY-----\n`).toString('base64');
}
