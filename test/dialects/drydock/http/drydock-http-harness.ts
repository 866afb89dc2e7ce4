import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskDict } from '../../../../src/dialects/drydock/domain/task-dict.js';
import type { Role } from '../../../../src/domain/identity/roles.js';
import type { InventoryFile } from '../../../../src/domain/inventory/inventory-file.js';
import { hashPassword } from '../../../../src/identity/password-hash.js';
import { createTestInventory, startTestLab, type TestLab } from '../../../support/lab-harness.js';
import { basicAuth, send, tokenHeader, type HttpReply } from '../../../support/locked-lab.js';
import { waitFor } from '../../../support/wait-for.js';

/** The design every test may name: the lab's images, nothing else. */
export const GOOD_DESIGN = 'file://good.yaml';
/** A design that names an image the lab does not have: a task over it fails. */
export const BAD_DESIGN = 'file://bad.yaml';

/**
 * A real labpool on 127.0.0.1 (fake power, PXE and verify; a real SQLite file), four nodes with tags,
 * labels and racks, a design folder, and a token of each role: `admin` (ada), `operator` (otto),
 * `user` (ursula, who may read but not create tasks). Every user has a role (an empty list in the
 * configuration means `user`), so no valid token meets a 403 on a read.
 */
export type DrydockHttpLab = {
  readonly lab: TestLab;
  readonly url: string;
  readonly tokens: Readonly<Record<Role, string>>;
  /** Sends a Drydock request; `token` goes in `X-Auth-Token`, an object body as JSON. */
  call(method: string, path: string, options?: CallOptions): Promise<HttpReply>;
  stop(): Promise<void>;
};

export type CallOptions = { readonly token?: string; readonly body?: unknown; readonly raw?: string; readonly headers?: Record<string, string> };

/** `panda-0001`..`panda-0004`: racks a, a, b, none; tags and labels to filter on. */
export const NODE_NAMES = ['panda-0001', 'panda-0002', 'panda-0003', 'panda-0004'] as const;

function inventory(): InventoryFile {
  const base = createTestInventory(NODE_NAMES.length);
  const extras: Pick<InventoryFile['devices'][number], 'tags' | 'labels' | 'rack' | 'rackLabels'>[] = [
    { tags: ['ssd'], labels: { role: 'compute' }, rack: 'rack-a', rackLabels: {} },
    { tags: [], labels: { role: 'storage' }, rack: 'rack-a', rackLabels: {} },
    { tags: ['ssd', 'gpu'], labels: {}, rack: 'rack-b', rackLabels: {} },
    { tags: [], labels: {}, rack: null, rackLabels: {} },
  ];
  return { ...base, devices: base.devices.map((device, i) => ({ ...device, ...extras[i]! })) };
}

const PASSWORD = 'drydock-http-Pw-4471';
const USERS: readonly (readonly [string, Role[]])[] = [
  ['ada', ['admin']],
  ['otto', ['operator']],
  ['ursula', ['user']],
];

/** A new token of `name` from vmpooler's `POST /api/v1/token`: Drydock takes the same tokens. */
async function tokenOf(url: string, name: string): Promise<string> {
  const reply = await send(url, 'POST', '/api/v1/token', { headers: basicAuth(name, PASSWORD) });
  if (reply.status !== 200 || typeof reply.body?.token !== 'string') throw new Error(`no token for ${name}: ${reply.status} ${reply.text}`);
  return reply.body.token as string;
}

export async function startDrydockHttpLab(): Promise<DrydockHttpLab> {
  const dir = mkdtempSync(join(tmpdir(), 'labpool-drydock-http-'));
  const designs = join(dir, 'designs');
  mkdirSync(designs);
  writeFileSync(join(designs, 'good.yaml'), 'schema: labpool/Design/v1\ndefault_image: ubuntu\n');
  writeFileSync(join(designs, 'bad.yaml'), 'schema: labpool/Design/v1\ndefault_image: windows\n');
  const store = { kind: 'sqlite', path: join(dir, 'labpool.sqlite'), synchronous: 'NORMAL' } as const;
  const users = await Promise.all(USERS.map(async ([name, roles]) => ({ name, hash: await hashPassword(PASSWORD, 'scrypt'), roles })));
  const auth = { users, usersFile: null, tokenUseIntervalMs: 0 };
  const lab = await startTestLab(inventory(), { config: { store, auth, drydock: { designFolder: designs } } });
  const [ada, otto, ursula] = await Promise.all(USERS.map(([name]) => tokenOf(lab.url, name)));
  return {
    lab,
    url: lab.url,
    tokens: { admin: ada!, operator: otto!, user: ursula! },
    call(method, path, options = {}) {
      const headers = { ...(options.token === undefined ? {} : tokenHeader(options.token)), ...options.headers };
      if (options.raw === undefined) return send(lab.url, method, path, { headers: options.body === undefined ? headers : { 'Content-Type': 'application/json', ...headers }, body: options.body });
      return send(lab.url, method, path, { headers: { 'Content-Type': 'application/json', ...headers }, raw: options.raw });
    },
    async stop() {
      await lab.labpool.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The reply is Drydock's error `{type: "error", message, retry: false}` with this status, and nothing else. */
export function assertDrydockError(reply: HttpReply, status: number, message: RegExp): void {
  assert.equal(reply.status, status, reply.text);
  assert.match(reply.headers.get('content-type') ?? '', /^application\/json/);
  assert.deepEqual(Object.keys(reply.body ?? {}).sort(), ['message', 'retry', 'type'], reply.text);
  assert.equal(reply.body.type, 'error');
  assert.equal(reply.body.retry, false);
  assert.match(String(reply.body.message), message);
}

/** Creates a task as the operator and checks the 201; answers its dict. */
export async function createTask(lab: DrydockHttpLab, body: Record<string, unknown>): Promise<TaskDict> {
  const reply = await lab.call('POST', '/api/v1.0/tasks', { token: lab.tokens.operator, body });
  assert.equal(reply.status, 201, reply.text);
  return reply.body as TaskDict;
}

/** Reads the task until `done` holds for it; answers its dict then. */
export async function waitForTask(lab: DrydockHttpLab, taskId: string, done: (task: TaskDict) => boolean): Promise<TaskDict> {
  let task: TaskDict | undefined;
  await waitFor(async () => {
    const reply = await lab.call('GET', `/api/v1.0/tasks/${taskId}`, { token: lab.tokens.user });
    task = reply.body as TaskDict;
    return reply.status === 200 && done(task);
  });
  return task!;
}

export const isOver = (task: TaskDict): boolean => task.status === 'complete' || task.status === 'terminated';

/** A filter selecting nodes by name. */
export const byNames = (...names: string[]) => ({ filter_set_type: 'union', filter_set: [{ filter_type: 'union', node_names: names }] });
