import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { basicAuth } from '../../../support/locked-lab.js';
import { assertDrydockError, GOOD_DESIGN, startDrydockHttpLab, type DrydockHttpLab } from './drydock-http-harness.js';

const SOME_UUID = '0b7c3a52-5f0e-4a8e-9d43-2d1f3c9e7a10';

/** Every route that reads: any role may. */
const READS: readonly [string, string, unknown?][] = [
  ['GET', '/api/v1.0/tasks'],
  ['GET', `/api/v1.0/tasks/${SOME_UUID}`],
  ['GET', `/api/v1.0/tasks/${SOME_UUID}/builddata`],
  ['GET', '/api/v1.0/nodes'],
  ['GET', '/api/v1.0/nodes/panda-0001/builddata'],
  ['GET', '/api/v1.0/nodes/panda-0001/bootactions'],
  ['POST', '/api/v1.0/validatedesign', { href: GOOD_DESIGN }],
  ['POST', '/api/v1.0/nodefilter', { design_ref: GOOD_DESIGN }],
];
/** The routes that change tasks: operator or admin. */
const TASK_WRITES: readonly [string, string, unknown?][] = [
  ['POST', '/api/v1.0/tasks', { action: 'validate_design', design_ref: GOOD_DESIGN }],
  ['DELETE', `/api/v1.0/tasks/${SOME_UUID}`],
];

describe('Drydock over HTTP: versions, health and who may call what', () => {
  let lab: DrydockHttpLab;
  before(async () => (lab = await startDrydockHttpLab()));
  after(async () => lab?.stop());

  it('answers GET /versions and GET /api/v1.0/health without a token', async () => {
    for (const path of ['/versions', '/versions/']) {
      const reply = await lab.call('GET', path);
      assert.equal(reply.status, 200, path);
      assert.deepEqual(reply.body, { 'v1.0': { path: '/api/v1.0', status: 'stable' } });
    }
    assertDrydockError(await lab.call('POST', '/versions'), 405, /^Method Not Allowed$/);
    assertDrydockError(await lab.call('POST', '/api/v1.0/health'), 405, /^Method Not Allowed$/);
    for (const path of ['/api/v1.0/health', '/api/v1.0/health/']) {
      // A token labpool does not know changes nothing: health needs none.
      for (const token of [undefined, 'x'.repeat(32)]) {
        const reply = await lab.call('GET', path, { token });
        assert.deepEqual([reply.status, reply.text], [204, ''], path);
      }
    }
  });

  it('refuses every guarded route without a token or with one it does not know: 401, and a challenge', async () => {
    for (const [method, path, body] of [...READS, ...TASK_WRITES]) {
      for (const token of [undefined, 'a'.repeat(32), 'not-a-token', '']) {
        const reply = await lab.call(method, path, { token, body });
        assertDrydockError(reply, 401, /^Unauthenticated$/);
        assert.equal(reply.headers.get('www-authenticate'), 'X-Auth-Token realm="drydock"', `${method} ${path}`);
      }
    }
  });

  it('lets a user read, and refuses a user’s task writes with 403', async () => {
    for (const [method, path, body] of READS) {
      const reply = await lab.call(method, path, { token: lab.tokens.user, body });
      assert.ok(![401, 403].includes(reply.status), `${method} ${path}: ${reply.status} ${reply.text}`);
    }
    for (const [method, path, body] of TASK_WRITES) assertDrydockError(await lab.call(method, path, { token: lab.tokens.user, body }), 403, /^Forbidden$/);
    const tasks = await lab.call('GET', '/api/v1.0/tasks', { token: lab.tokens.user });
    assert.deepEqual([tasks.status, tasks.body], [200, []], 'the refused creation made no task');
  });

  it('refuses a token revoked through vmpooler’s token route with 401', async () => {
    const created = await lab.call('POST', '/api/v1/token', { headers: basicAuth('ursula', 'drydock-http-Pw-4471') });
    const token = String(created.body?.token);
    assert.equal((await lab.call('GET', '/api/v1.0/nodes', { token })).status, 200);
    const revoked = await lab.call('DELETE', `/api/v1/token/${token}`, { headers: basicAuth('ursula', 'drydock-http-Pw-4471') });
    assert.equal(revoked.status, 200, revoked.text);
    assertDrydockError(await lab.call('GET', '/api/v1.0/nodes', { token }), 401, /^Unauthenticated$/);
  });

  it('lets an operator and an admin create tasks, each named as created_by', async () => {
    for (const [role, user] of [
      ['operator', 'otto'],
      ['admin', 'ada'],
    ] as const) {
      const reply = await lab.call('POST', '/api/v1.0/tasks', { token: lab.tokens[role], body: { action: 'validate_design', design_ref: GOOD_DESIGN } });
      assert.equal(reply.status, 201, reply.text);
      assert.equal(reply.body.created_by, user);
    }
  });
});

describe('Drydock over HTTP: credentials before the body', () => {
  let lab: DrydockHttpLab;
  before(async () => (lab = await startDrydockHttpLab()));
  after(async () => lab?.stop());

  const deep = '['.repeat(200) + ']'.repeat(200);
  const badBodies: readonly [string, RegExp][] = [
    ['{"action": ', /not valid JSON|Unexpected end/],
    ['not json at all', /not valid JSON|Unexpected token/],
    [deep, /nested deeper than \d+ levels/],
  ];

  it('answers 401 to a bad body without a valid token, and 403 to a user’s', async () => {
    for (const [raw] of badBodies) {
      for (const token of [undefined, 'b'.repeat(32)]) assertDrydockError(await lab.call('POST', '/api/v1.0/tasks', { raw, token }), 401, /^Unauthenticated$/);
      assertDrydockError(await lab.call('POST', '/api/v1.0/tasks', { raw, token: lab.tokens.user }), 403, /^Forbidden$/);
      assertDrydockError(await lab.call('POST', '/api/v1.0/validatedesign', { raw }), 401, /^Unauthenticated$/);
    }
  });

  it('answers 400 in Drydock’s shape to a bad body with a valid token', async () => {
    for (const [raw, message] of badBodies) {
      assertDrydockError(await lab.call('POST', '/api/v1.0/tasks', { raw, token: lab.tokens.operator }), 400, message);
      assertDrydockError(await lab.call('POST', '/api/v1.0/nodefilter', { raw, token: lab.tokens.user }), 400, message);
    }
    for (const raw of ['[]', '"deploy_nodes"', 'null', '42']) {
      assertDrydockError(await lab.call('POST', '/api/v1.0/tasks', { raw, token: lab.tokens.operator }), 400, /must be a JSON object|only supports object and array/);
    }
    // An empty body reads as `{}`: no action.
    assertDrydockError(await lab.call('POST', '/api/v1.0/tasks', { raw: '', token: lab.tokens.operator }), 400, /^Unsupported action null$/);
    const tasks = await lab.call('GET', '/api/v1.0/tasks', { token: lab.tokens.user });
    assert.deepEqual(tasks.body, [], 'no bad body made a task');
  });

  it('refuses a body over 64 KiB with 413 in Drydock’s shape', async () => {
    const raw = JSON.stringify({ action: 'validate_design', design_ref: GOOD_DESIGN, pad: 'x'.repeat(70_000) });
    for (const token of [undefined, lab.tokens.operator]) assertDrydockError(await lab.call('POST', '/api/v1.0/tasks', { raw, token }), 413, /too large/);
  });
});
