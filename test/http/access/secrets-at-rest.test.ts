import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { vmpoolerDialect } from '../../../src/dialects/vmpooler/vmpooler-dialect.js';
import { hashToken } from '../../../src/identity/api-tokens.js';
import { createLogger } from '../../../src/logging/logger.js';
import { createTestInventory, type TestLab } from '../../support/lab-harness.js';
import { basicAuth, createTokenOf, send, startLabWithUsers, TEST_USERS, tokenHeader } from '../../support/locked-lab.js';
import { driveSecondStages } from '../../support/second-stage.js';
import { waitFor } from '../../support/wait-for.js';

const POOL = 'ubuntu-x86_64';

/**
 * Secrets at rest: a lab on a SQLite file, with users and tokens used every way the API takes them
 * (Basic sign-in, right and wrong; token header on every family; a token in vmpooler's `/token/<token>`
 * path), then the store's bytes and every log line are searched for each token and password.
 */
describe('secrets never reach the store or the logs', () => {
  const directory = mkdtempSync(join(tmpdir(), 'labpool-secrets-'));
  const storePath = join(directory, 'labpool.db');
  const logLines: string[] = [];
  const tokens: string[] = [];
  let lab: TestLab;
  let storeBytes: Buffer;

  before(async () => {
    const logger = createLogger({ level: 'trace', destination: { write: (line: string) => void logLines.push(line) } });
    const config = {
      store: { kind: 'sqlite', path: storePath, synchronous: 'NORMAL' } as const,
      security: { mozpoolWritesNeedToken: true, deviceSources: null },
      vmpooler: { pools: [{ name: POOL, image: 'ubuntu', size: 1 }] },
    };
    lab = await startLabWithUsers(createTestInventory(3), { config, logger });
    const stopStages = driveSecondStages(lab.labpool);
    try {
      await useEveryDoor();
    } finally {
      stopStages();
      await lab.labpool.part(vmpoolerDialect).lab.manager.idle();
      await lab.labpool.stop();
    }
    storeBytes = Buffer.concat(['', '-wal', '-shm'].filter((suffix) => existsSync(storePath + suffix)).map((suffix) => readFileSync(storePath + suffix)));
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  async function useEveryDoor(): Promise<void> {
    for (const { name } of TEST_USERS) tokens.push(await createTokenOf(lab.url, name), await createTokenOf(lab.url, name));
    const [adaToken = '', , ottoToken = '', , ursulaToken = ''] = tokens;
    assert.equal((await send(lab.url, 'POST', '/api/v1/token', { headers: basicAuth('ada', `${TEST_USERS[0].password}-wrong`) })).status, 401);
    assert.equal((await send(lab.url, 'GET', '/api/v3/token', { headers: basicAuth('otto', TEST_USERS[1].password) })).status, 200);
    for (const token of tokens) {
      assert.equal((await send(lab.url, 'GET', `/api/v1/token/${token}`)).status, 200);
      await send(lab.url, 'POST', '/labpool/inventory/sync', { headers: tokenHeader(token) });
      await send(lab.url, 'POST', '/api/device/panda-0003/set-comments/', { headers: tokenHeader(token), body: { comments: 'seen' } });
    }
    await waitFor(() => lab.labpool.part(vmpoolerDialect).lab.context.pools.queues(POOL).ready.length === 1);
    const checkout = await send(lab.url, 'POST', `/api/v1/vm/${POOL}`, { headers: tokenHeader(ursulaToken) });
    assert.equal(checkout.status, 200, checkout.text);
    const host = String(checkout.body[POOL].hostname);
    assert.equal((await send(lab.url, 'PUT', `/api/v1/vm/${host}`, { headers: tokenHeader(ursulaToken), body: { tags: { user: 'ursula' } } })).status, 200);
    assert.equal((await send(lab.url, 'DELETE', `/api/v1/vm/${host}`, { headers: tokenHeader(ursulaToken) })).status, 200);
    const revoke = await send(lab.url, 'DELETE', `/api/v3/token/${ottoToken}`, { headers: basicAuth('ada', TEST_USERS[0].password) });
    assert.equal(revoke.status, 200, revoke.text);
    assert.equal((await send(lab.url, 'POST', '/labpool/inventory/sync', { headers: tokenHeader(ottoToken) })).status, 401);
    assert.equal((await send(lab.url, 'POST', '/labpool/inventory/sync', { headers: tokenHeader(adaToken) })).status, 409);
  }

  const secrets = () => [
    ...tokens.map((token) => ({ what: `token ${token}`, text: token })),
    ...TEST_USERS.flatMap(({ name, password }) => [
      { what: `password of ${name}`, text: password },
      { what: `Basic credentials of ${name}`, text: basicAuth(name, password)['Authorization']!.slice('Basic '.length) },
    ]),
  ];

  it('keeps the tokens as hashes in the store, never in clear, and no password', () => {
    assert.equal(tokens.length, 6);
    for (const token of tokens) assert.ok(storeBytes.includes(hashToken(token)), `the store has no hash of ${token}: the scan read the wrong bytes`);
    const found = secrets().filter(({ text }) => storeBytes.includes(text));
    assert.deepEqual(
      found.map(({ what }) => what),
      [],
    );
  });

  it('logs every request, with no token or password in any line', () => {
    const tokenPaths = logLines.filter((line) => line.includes('/api/v1/token/<token>'));
    assert.equal(tokenPaths.length, 6, 'each GET /api/v1/token/<token> is logged, its token left out');
    const found = secrets().filter(({ text }) => logLines.some((line) => line.includes(text)));
    assert.deepEqual(
      found.map(({ what }) => what),
      [],
    );
  });
});
