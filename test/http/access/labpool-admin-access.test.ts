import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestInventory, startTestLab, type TestLab } from '../../support/lab-harness.js';
import { basicAuth, createTokenOf, send, TEST_USERS, startLabWithUsers, tokenHeader, type HttpReply } from '../../support/locked-lab.js';

const SYNC = '/labpool/inventory/sync';
/** The test lab has no inventory file: a sync that passes the lock is answered 409 by the route itself. */
const PAST_THE_LOCK = 409;

function assertProblem(reply: HttpReply, status: number, detail: RegExp): void {
  assert.equal(reply.status, status, reply.text);
  assert.match(reply.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(reply.body.status, status);
  assert.match(String(reply.body.detail), detail);
}

describe("labpool's own write routes with users configured", () => {
  let lab: TestLab;
  const tokens: Record<string, string> = {};

  before(async () => {
    lab = await startLabWithUsers(createTestInventory(1));
    for (const name of ['ada', 'otto', 'ursula'] as const) tokens[name] = await createTokenOf(lab.url, name);
  });
  after(() => lab?.labpool.stop());

  it('answers 401 problem+json with a challenge without a token, and with a token that is not valid', async () => {
    for (const headers of [{}, tokenHeader('abcdefghijklmnopqrstuvwxyz012345'), tokenHeader('not a token'), tokenHeader('')]) {
      const reply = await send(lab.url, 'POST', SYNC, { headers });
      assertProblem(reply, 401, /X-Auth-Token/);
      assert.match(reply.headers.get('www-authenticate') ?? '', /^X-Auth-Token realm="labpool"$/);
    }
  });

  it('answers 403 problem+json to a valid token of a user without admin or operator', async () => {
    assertProblem(await send(lab.url, 'POST', SYNC, { headers: tokenHeader(tokens['ursula']!) }), 403, /user ursula has no role admin or operator/);
  });

  it('lets admin and operator tokens through, in any header case', async () => {
    assertProblem(await send(lab.url, 'POST', `${SYNC}?force=1`, { headers: tokenHeader(tokens['ada']!) }), PAST_THE_LOCK, /no inventory file/);
    assertProblem(await send(lab.url, 'POST', SYNC, { headers: { 'x-auth-token': tokens['otto']! } }), PAST_THE_LOCK, /no inventory file/);
  });

  it('lets only admin tokens hand servers over; the list of servers reads open', async () => {
    const handover = { method: 'POST', path: '/labpool/servers/127.0.0.1:9/handover', body: { to: lab.labpool.serverId } } as const;
    assertProblem(await send(lab.url, handover.method, handover.path, { body: handover.body }), 401, /X-Auth-Token/);
    assertProblem(await send(lab.url, handover.method, handover.path, { body: handover.body, headers: tokenHeader(tokens['otto']!) }), 403, /user otto has no role admin$/);
    // Past the lock: the route itself answers that it knows no such server.
    assertProblem(await send(lab.url, handover.method, handover.path, { body: handover.body, headers: tokenHeader(tokens['ada']!) }), 404, /server 127\.0\.0\.1:9 is unknown/);
    assert.equal((await send(lab.url, 'GET', '/labpool/servers')).status, 200);
  });

  it('refuses a revoked token', async () => {
    const token = await createTokenOf(lab.url, 'otto');
    const revoked = await send(lab.url, 'DELETE', `/api/v1/token/${token}`, { headers: basicAuth('otto', TEST_USERS[1].password) });
    assert.equal(revoked.status, 200, revoked.text);
    assertProblem(await send(lab.url, 'POST', SYNC, { headers: tokenHeader(token) }), 401, /not valid/);
  });

  it('keeps a route that does not exist a 404, and reads open', async () => {
    assert.equal((await send(lab.url, 'POST', '/labpool/nothing-here')).status, 404);
    assert.equal((await send(lab.url, 'GET', '/metrics')).status, 200);
  });
});

describe("labpool's own write routes without users", () => {
  let lab: TestLab;
  before(async () => {
    lab = await startTestLab(createTestInventory(1));
  });
  after(() => lab?.labpool.stop());

  it('stay open, as before users existed', async () => {
    assertProblem(await send(lab.url, 'POST', SYNC), PAST_THE_LOCK, /no inventory file/);
  });
});
