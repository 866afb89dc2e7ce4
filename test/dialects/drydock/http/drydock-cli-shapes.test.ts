import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { TaskDict } from '../../../../src/dialects/drydock/domain/task-dict.js';
import { driveSecondStages } from '../../../support/second-stage.js';
import { waitFor } from '../../../support/wait-for.js';
import { GOOD_DESIGN, NODE_NAMES, startDrydockHttpLab, type DrydockHttpLab } from './drydock-http-harness.js';

/**
 * The requests Drydock's own CLI and its Python client make, byte for byte in path, query and body:
 * `X-Auth-Token` and a fresh `X-Context-Marker` on every call, JSON bodies, the client's query
 * spellings (`builddata=true&subtaskerrors=true&layers=N`, and Python's `latest=True`), and a
 * `node_filter` built from the CLI's comma lists, empty lists where an option was not given.
 */
describe('Drydock’s CLI against labpool', () => {
  let lab: DrydockHttpLab;
  let stopStages: () => void;
  let deploy: TaskDict;
  before(async () => {
    lab = await startDrydockHttpLab();
    stopStages = driveSecondStages(lab.lab.labpool);
  });
  after(async () => {
    stopStages?.();
    await lab?.stop();
  });

  const cli = async (method: 'GET' | 'POST', endpoint: string, body?: unknown) => {
    const headers = { 'X-Context-Marker': randomUUID(), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) };
    const reply = await lab.call(method, `/api/${endpoint}`, { token: lab.tokens.operator, headers, raw: body === undefined ? undefined : JSON.stringify(body) });
    return reply;
  };
  const cliFilter = (names: string[] = [], tags: string[] = [], racks: string[] = []) => ({
    filter_set_type: 'union',
    filter_set: [{ filter_type: 'union', node_names: names, node_tags: tags, rack_names: racks }],
  });
  /** `task create --block`: polls the task until it is complete or terminated. */
  const block = async (taskId: string): Promise<TaskDict> => {
    let task: TaskDict | undefined;
    await waitFor(async () => {
      task = (await cli('GET', `v1.0/tasks/${taskId}`)).body as TaskDict;
      return ['complete', 'terminated'].includes(task.status);
    });
    return task!;
  };

  it('node list: every node with the fields the CLI prints', async () => {
    const reply = await cli('GET', 'v1.0/nodes');
    assert.equal(reply.status, 200);
    for (const node of reply.body as Record<string, unknown>[]) {
      for (const key of ['hostname', 'memory', 'cpu_count', 'status_name', 'boot_mac', 'power_state', 'power_address', 'boot_ip']) assert.ok(key in node, `${key} of ${JSON.stringify(node)}`);
    }
    assert.deepEqual((reply.body as { hostname: string }[]).map((node) => node.hostname).sort(), [...NODE_NAMES]);
  });

  it('task create -a deploy_nodes -n panda-0001 --block: 201, then complete with the node deployed', async () => {
    const created = await cli('POST', 'v1.0/tasks', { design_ref: GOOD_DESIGN, action: 'deploy_nodes', node_filter: cliFilter(['panda-0001']) });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.headers.get('location'), `/api/v1.0/tasks/${created.body.task_id}`);
    deploy = await block(created.body.task_id);
    assert.deepEqual([deploy.result.status, deploy.result.successes, deploy.result.failures], ['success', ['panda-0001'], []], JSON.stringify(deploy.result));
    const nodes = (await cli('GET', 'v1.0/nodes')).body as { hostname: string; status_name: string; image: string }[];
    assert.deepEqual(
      nodes.filter((node) => node.hostname === 'panda-0001').map((node) => [node.status_name, node.image]),
      [['Deployed', 'ubuntu']],
    );
  });

  it('task create without -n, -r or -l: empty lists select every node; no filter at all does too', async () => {
    for (const node_filter of [cliFilter(), null]) {
      const created = await cli('POST', 'v1.0/tasks', { design_ref: GOOD_DESIGN, action: 'relabel_nodes', node_filter });
      assert.equal(created.status, 201, created.text);
      const task = await block(created.body.task_id);
      assert.deepEqual([task.result.status, [...task.result.successes].sort()], ['success', [...NODE_NAMES]]);
    }
    const byRackAndTag = await cli('POST', 'v1.0/tasks', { design_ref: GOOD_DESIGN, action: 'relabel_nodes', node_filter: cliFilter([], ['gpu'], ['rack-a']) });
    assert.deepEqual([...(await block(byRackAndTag.body.task_id)).result.successes].sort(), ['panda-0001', 'panda-0002', 'panda-0003']);
  });

  it('task show, with the client’s builddata, subtaskerrors and layers, and task builddata', async () => {
    const [nodeTaskId] = deploy.subtask_id_list;
    const facts = await lab.call('POST', '/labpool/devices/panda-0001/facts', { body: { facts: { id: 'panda-0001', class: 'system' } } });
    assert.equal(facts.status, 200, facts.text);
    const plain = await cli('GET', `v1.0/tasks/${deploy.task_id}`);
    assert.deepEqual([plain.status, plain.body.status, plain.body.subtask_id_list], [200, 'complete', [nodeTaskId]]);
    const full = await cli('GET', `v1.0/tasks/${deploy.task_id}?builddata=true&subtaskerrors=true&layers=2`);
    assert.equal(full.status, 200, full.text);
    assert.deepEqual(Object.keys(full.body).sort(), ['init_task_id', 'subtask_errors', deploy.task_id, nodeTaskId!].sort());
    assert.deepEqual([full.body.init_task_id, full.body.subtask_errors], [deploy.task_id, {}]);
    assert.deepEqual(
      full.body[nodeTaskId!].build_data.map((record: Record<string, unknown>) => [record['node_name'], record['task_id'], record['generator']]),
      [['panda-0001', nodeTaskId, 'lshw']],
    );
    const builddata = await cli('GET', `v1.0/tasks/${deploy.task_id}/builddata`);
    assert.deepEqual([builddata.status, builddata.body], [200, full.body[nodeTaskId!].build_data]);
  });

  it('node builddata -n panda-0001 [--latest]: latest=True and latest=False', async () => {
    await lab.call('POST', '/labpool/devices/panda-0001/facts', { body: { facts: { id: 'panda-0001', class: 'system', second: true } } });
    const all = await cli('GET', 'v1.0/nodes/panda-0001/builddata?latest=False');
    const latest = await cli('GET', 'v1.0/nodes/panda-0001/builddata?latest=True');
    assert.deepEqual([all.status, all.body.length, latest.status], [200, 2, 200]);
    assert.deepEqual(latest.body, [all.body[1]]);
    assert.deepEqual(JSON.parse(latest.body[0].data_element), { id: 'panda-0001', class: 'system', second: true });
  });

  it('task list, the node filter of a design, and design validation in the client’s older body', async () => {
    const tasks = await cli('GET', 'v1.0/tasks');
    assert.ok((tasks.body as TaskDict[]).some((task) => task.task_id === deploy.task_id));
    const filtered = await cli('POST', 'v1.0/nodefilter', { node_filter: cliFilter([], ['ssd']), design_ref: GOOD_DESIGN });
    assert.deepEqual([filtered.status, filtered.body], [200, ['panda-0001', 'panda-0003']]);
    const validated = await cli('POST', 'v1.0/validatedesign', { rel: 'design', href: GOOD_DESIGN, type: 'application/x-yaml' });
    assert.deepEqual([validated.status, validated.body.status, validated.body.code], [200, 'Success', 200]);
  });
});
