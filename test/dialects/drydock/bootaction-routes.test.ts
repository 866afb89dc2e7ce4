import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BootactionRenderError } from '../../../src/dialects/drydock/bootactions/bootaction-service.js';
import { NODE, SIM_BOOTACTIONS, openBootactionHarness, removeHarnessDir, untar, type BootactionHarness } from './bootaction-harness.js';

type Answer = { readonly status: number; readonly headers: Headers; readonly json: any; readonly bytes: Buffer };

async function call(url: string, init: RequestInit & { key?: string } = {}): Promise<Answer> {
  const headers = new Headers(init.headers);
  if (init.key !== undefined) headers.set('X-Bootaction-Key', init.key);
  const response = await fetch(url, { ...init, headers });
  const bytes = Buffer.from(await response.arrayBuffer());
  const json = (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(bytes.toString('utf8')) : undefined;
  return { status: response.status, headers: response.headers, json, bytes };
}

/**
 * The message of an error body. The shape is the family's, chosen by path prefix once the Drydock
 * dialect registers `/api/v1.0/`; until then the path falls under MozPool's `/api/` (`{"error": …}`).
 */
const messageOf = (answer: Answer): string => String(answer.json?.message ?? answer.json?.error ?? '');

describe('Drydock bootaction routes (HTTP, SQLite file, actors)', () => {
  let lab: BootactionHarness;
  let key: string;
  let helloId: string;
  let motdId: string;
  const post = (id: string, body: unknown, key?: string) =>
    call(`${lab.url}/api/v1.0/bootaction/${id}/`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'Content-Type': 'application/json' }, key });

  before(async () => {
    lab = await openBootactionHarness();
    const issued = await lab.service.issue({ taskId: 'task-1', node: NODE, bootactions: SIM_BOOTACTIONS });
    key = issued.key;
    helloId = issued.actions[0]!.actionId;
    motdId = issued.actions[1]!.actionId;
  });
  after(async () => {
    await lab.close();
    removeHarnessDir(lab.dir);
  });

  it('issues one key per node and a ULID per action, and tells the boot config where to fetch and report', () => {
    assert.match(key, /^[0-9a-f]{64}$/);
    assert.match(helloId, /^[0-9A-HJKMNP-TV-Z]{26}$/);
    assert.notEqual(helloId, motdId);
    assert.deepEqual(lab.service.bootConfigOf(NODE.hostname), {
      drydock: {
        hostname: 'sim-0001',
        key,
        units_url: `${lab.url}/api/v1.0/bootactions/nodes/sim-0001/units`,
        files_url: `${lab.url}/api/v1.0/bootactions/nodes/sim-0001/files`,
        report_url: `${lab.url}/api/v1.0/bootaction`,
      },
    });
    assert.equal(lab.service.bootConfigOf('sim-0002'), null);
  });

  it('serves the units and files tarballs at both paths, rendered, with modes, owner root and the issue time', async () => {
    const issuedAtMs = lab.views.latestDeploy(NODE.hostname)!.issuedAtMs;
    for (const path of ['bootactions/nodes/sim-0001', 'bootdata/sim-0001']) {
      for (const slash of ['', '/']) {
        const units = await call(`${lab.url}/api/v1.0/${path}/units${slash}`, { key });
        assert.equal(units.status, 200);
        assert.equal(units.headers.get('content-type'), 'application/gzip');
        assert.equal(units.headers.get('content-disposition'), 'attachment; filename="sim-0001-units.tar.gz"');
        assert.deepEqual(await untar(units.bytes), [
          { name: '/etc/systemd/system/motd.service', mode: 0o600, uid: 0, gid: 0, mtimeMs: Math.floor(issuedAtMs / 1000) * 1000, data: '[Service]\nExecStart=/bin/echo sim-0001.lab in rack-a\n' },
        ]);
        const files = await call(`${lab.url}/api/v1.0/${path}/files${slash}`, { key: key.toUpperCase() });
        assert.equal(files.status, 200);
        assert.equal(files.headers.get('content-disposition'), 'attachment; filename="sim-0001-files.tar.gz"');
        const entries = await untar(files.bytes);
        assert.deepEqual(
          entries.map((entry) => [entry.name, entry.mode]),
          [
            ['/etc/labpool/hello.json', 0o644],
            ['/etc/motd', 0o444],
          ],
        );
        assert.deepEqual(JSON.parse(entries[0]!.data), { action_id: helloId, report_url: `${lab.url}/api/v1.0/bootaction`, host: 'sim-0001' });
        assert.equal(entries[1]!.data, 'welcome {{ not rendered }}');
      }
    }
  });

  it('refuses a tarball without a key (401 + challenge), with a wrong or malformed key (403), for an unknown node (404)', async () => {
    const units = `${lab.url}/api/v1.0/bootactions/nodes/sim-0001/units`;
    const none = await call(units);
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bootaction-Key');
    assert.match(messageOf(none), /X-Bootaction-Key/);
    assert.equal((await call(units, { key: 'f'.repeat(64) })).status, 403);
    assert.equal((await call(units, { key: 'not hex at all' })).status, 403);
    assert.equal((await call(units, { key: `${key}00` })).status, 403);
    assert.equal((await call(`${lab.url}/api/v1.0/bootdata/sim-0009/files`, { key })).status, 404);
    assert.equal((await call(`${lab.url}/api/v1.0/bootdata/sim-0009/files`)).status, 404, 'an unknown node is 404 before the key');
  });

  it('checks a report in order: unknown id 404, no key 401, wrong key 403, bad body 400', async () => {
    assert.equal((await post('01ARZ3NDEKTSV4RRFFQ69G5FAV', { status: 'success' }, key)).status, 404);
    const none = await post(helloId, { status: 'nope' });
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bootaction-Key');
    assert.equal((await post(helloId, { status: 'nope' }, 'ab'.repeat(32))).status, 403);
    assert.equal((await post(helloId, { status: 'nope' }, 'zz')).status, 403, 'a malformed key is wrong, not a crash');
    const bad = await post(helloId, { status: 'nope' }, key);
    assert.equal(bad.status, 400);
    assert.match(messageOf(bad), /status/);
    assert.equal((await post(helloId, { details: [{ message: 'm', error: false, ts: 'now' }] }, key)).status, 400);
    assert.equal((await post(helloId, { status: 'success', extra: true }, key)).status, 400);
    assert.equal((await post(helloId, '{"status": ', key)).status, 400, 'not JSON');
    assert.equal((await post(helloId, { details: [{ message: 'x'.repeat(70_000), error: false }] }, key)).status, 413);
    assert.equal(lab.reports.length, 0, 'nothing refused reached the task');
  });

  it('takes detail-only reports repeatedly, then the final status once; afterwards 409', async () => {
    const first = await post(helloId, { details: [{ message: 'starting', error: false }] }, key);
    assert.equal(first.status, 200);
    assert.deepEqual(first.json, { node_name: 'sim-0001', action_id: helloId, action_name: 'sim-hello', task_id: 'task-1', action_status: 'pending' });
    assert.equal((await post(helloId, { details: [{ message: 'still going', error: false, step: 2 }] }, key)).status, 200);
    const final = await post(helloId, { status: 'Success', details: [{ message: 'done', error: false }] }, key);
    assert.equal(final.status, 200);
    assert.equal(final.json.action_status, 'success');
    const again = await post(helloId, { details: [{ message: 'late', error: false }] }, key);
    assert.equal(again.status, 409);
    assert.equal((await post(helloId, { status: 'failure' }, key)).status, 409);
    assert.equal((await post(helloId, { status: 'failure' })).status, 401, 'no key wins over final');
    assert.equal((await post(helloId, { status: 'failure' }, 'cd'.repeat(32))).status, 403, 'a wrong key wins over final');
    assert.equal((await post(helloId, { status: 'nope' }, key)).status, 400, 'a bad body wins over final');
    assert.deepEqual(
      lab.reports.map(({ taskId, report }) => [taskId, report.node, report.actionId, report.actionName, report.status, report.details.map((detail) => detail.message)]),
      [
        ['task-1', 'sim-0001', helloId, 'sim-hello', null, ['starting']],
        ['task-1', 'sim-0001', helloId, 'sim-hello', null, ['still going']],
        ['task-1', 'sim-0001', helloId, 'sim-hello', 'success', ['done']],
      ],
    );
    assert.deepEqual(lab.reports[1]!.report.details[0]!.extra, { step: 2 });
  });

  it('answers 409 to any report on a non-signalling action', async () => {
    assert.equal((await post(motdId, { details: [{ message: 'hi', error: false }] }, key)).status, 409);
    assert.equal((await post(motdId, {}, key)).status, 409);
  });

  it('lists the node’s bootactions behind the read guard; an unknown node is 404', async () => {
    const before = lab.reads.count;
    const list = await call(`${lab.url}/api/v1.0/nodes/sim-0001/bootactions`);
    assert.equal(list.status, 200);
    assert.deepEqual(list.json, [
      { action_id: helloId, action_name: 'sim-hello', action_status: 'success', action_key: key, report_url: `${lab.url}/api/v1.0/bootaction/${helloId}/` },
      { action_id: motdId, action_name: 'motd', action_status: 'unreported', action_key: key, report_url: `${lab.url}/api/v1.0/bootaction/${motdId}/` },
    ]);
    assert.equal((await call(`${lab.url}/api/v1.0/nodes/sim-0009/bootactions/`)).status, 404);
    assert.equal(lab.reads.count, before + 2);
  });

  it('refuses a template naming an unknown variable, issuing nothing', async () => {
    const broken = [{ ...SIM_BOOTACTIONS[0]!, assets: [{ ...SIM_BOOTACTIONS[0]!.assets[0]!, data: '{{ node.serial }}' }] }];
    await assert.rejects(lab.service.issue({ taskId: 'task-x', node: { ...NODE, hostname: 'sim-0002' }, bootactions: broken }), BootactionRenderError);
    assert.equal(lab.views.latestDeploy('sim-0002'), undefined);
  });

  it('a new deploy gives the node a new key: the old key no longer fetches, old actions still answer', async () => {
    const second = await lab.service.issue({ taskId: 'task-2', node: NODE, bootactions: SIM_BOOTACTIONS });
    assert.notEqual(second.key, key);
    assert.equal((await call(`${lab.url}/api/v1.0/bootdata/sim-0001/units`, { key })).status, 403);
    assert.equal((await call(`${lab.url}/api/v1.0/bootdata/sim-0001/units`, { key: second.key })).status, 200);
    assert.equal((await post(helloId, { status: 'success' }, key)).status, 409);
    assert.equal((await post(second.actions[0]!.actionId, { status: 'success' }, key)).status, 403, 'the old key is not the new action’s');
    assert.equal(lab.service.bootConfigOf('sim-0001')?.drydock.key, second.key);
    const list = await call(`${lab.url}/api/v1.0/nodes/sim-0001/bootactions`);
    assert.deepEqual(
      list.json.map((action: any) => [action.action_name, action.action_status]),
      [
        ['sim-hello', 'pending'],
        ['motd', 'unreported'],
      ],
    );
  });

  it('keeps everything across a restart: from the SQLite file, keys and states come back', async () => {
    const deploy = lab.views.latestDeploy('sim-0001')!;
    await lab.close();
    lab = await openBootactionHarness(lab.dir);
    assert.equal(lab.service.bootConfigOf('sim-0001')?.drydock.key, deploy.key);
    assert.equal((await call(`${lab.url}/api/v1.0/bootdata/sim-0001/files`, { key: deploy.key })).status, 200);
    assert.equal((await post(helloId, { status: 'success' }, key)).status, 409);
    const pending = deploy.actions[0]!.actionId;
    assert.equal((await post(pending, { status: 'failure', details: [{ message: 'boom', error: true }] }, deploy.key)).json.action_status, 'failure');
  });
});
