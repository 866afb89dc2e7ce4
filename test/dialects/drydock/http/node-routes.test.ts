import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DrydockNode } from '../../../../src/dialects/drydock/http/drydock-nodes.js';
import { mozpoolDialect } from '../../../../src/dialects/mozpool/mozpool-dialect.js';
import { assertDrydockError, byNames, createTask, GOOD_DESIGN, NODE_NAMES, startDrydockHttpLab, waitForTask, type DrydockHttpLab } from './drydock-http-harness.js';

/** `lshw -json`-like: 2 processors of 4 cores, 2 GiB of memory. */
const LSHW = {
  id: 'panda-0002',
  class: 'system',
  children: [
    { id: 'cpu:0', class: 'processor', configuration: { cores: '4' } },
    { id: 'cpu:1', class: 'processor', configuration: { cores: '4' } },
    { id: 'memory', class: 'memory', size: 2 * 1024 ** 3 },
  ],
};

describe('Drydock over HTTP: nodes and their build data', () => {
  let lab: DrydockHttpLab;
  before(async () => (lab = await startDrydockHttpLab()));
  after(async () => lab?.stop());

  const nodes = async () => {
    const reply = await lab.call('GET', '/api/v1.0/nodes', { token: lab.tokens.user });
    assert.equal(reply.status, 200, reply.text);
    return new Map((reply.body as DrydockNode[]).map((node) => [node.hostname, node]));
  };
  const postFacts = async (node: string, body: object) => assert.equal((await lab.call('POST', `/labpool/devices/${node}/facts`, { body })).status, 200);
  const builddata = (node: string, query = '') => lab.call('GET', `/api/v1.0/nodes/${node}/builddata${query}`, { token: lab.tokens.user });

  it('lists every node with its MAC, power, status, image, tags, labels and rack', async () => {
    const listed = await nodes();
    assert.deepEqual([...listed.keys()].sort(), [...NODE_NAMES]);
    assert.deepEqual(listed.get('panda-0001'), {
      hostname: 'panda-0001',
      memory: null,
      cpu_count: null,
      status_name: 'Ready',
      boot_mac: '02:00:00:00:00:01',
      power_state: 'on',
      power_address: 'pdu1:161/1',
      boot_ip: null,
      image: listed.get('panda-0001')?.image,
      tags: ['ssd'],
      labels: { role: 'compute' },
      rack: 'rack-a',
    });
    assert.equal(typeof listed.get('panda-0001')?.image, 'string');
    assert.deepEqual([...listed.values()].map(({ hostname, boot_mac, power_address, tags, labels, rack }) => [hostname, boot_mac, power_address, tags, labels, rack]).sort(), [
      ['panda-0001', '02:00:00:00:00:01', 'pdu1:161/1', ['ssd'], { role: 'compute' }, 'rack-a'],
      ['panda-0002', '02:00:00:00:00:02', 'pdu1:161/2', [], { role: 'storage' }, 'rack-a'],
      ['panda-0003', '02:00:00:00:00:03', 'pdu1:161/3', ['ssd', 'gpu'], {}, 'rack-b'],
      ['panda-0004', '02:00:00:00:00:04', 'pdu1:161/4', [], {}, null],
    ]);
    const again = await lab.call('GET', '/api/v1.0/nodes/', { token: lab.tokens.admin });
    assert.equal(again.status, 200, 'the trailing slash, and any role');
  });

  it('names MAAS statuses from the device’s state, and an unknown power state for a failed one', async () => {
    const commands = lab.lab.labpool.part(mozpoolDialect).lab.commands;
    for (const [node, to] of [
      ['panda-0003', 'maintenance_mode'],
      ['panda-0004', 'failed_pxe_booting'],
    ] as const) {
      const forced = await commands.forceState(node, 'ready', to, { actor: 'test' });
      assert.ok(forced.ok, JSON.stringify(forced));
    }
    const listed = await nodes();
    assert.deepEqual([listed.get('panda-0003')?.status_name, listed.get('panda-0003')?.power_state], ['Rescue mode', 'on']);
    assert.deepEqual([listed.get('panda-0004')?.status_name, listed.get('panda-0004')?.power_state], ['Broken', 'unknown']);
  });

  it('answers 404 for a node without build data, and for a node that does not exist', async () => {
    for (const node of ['panda-0001', 'nobody']) {
      for (const query of ['', '?latest=true']) assertDrydockError(await builddata(node, query), 404, /^No build data found$/);
    }
  });

  it('answers a node’s reports oldest first; ?latest=true (or the CLI’s True) keeps the newest per generator', async () => {
    await postFacts('panda-0002', { facts: { id: 'first', class: 'system' } });
    await postFacts('panda-0002', { generator: 'dmidecode-json', facts: { bios: 'v1' } });
    await postFacts('panda-0002', { facts: LSHW });
    const all = await builddata('panda-0002');
    assert.equal(all.status, 200, all.text);
    const records = all.body as Record<string, unknown>[];
    assert.deepEqual(
      records.map(({ node_name, generator, task_id, data_format, data_element }) => [node_name, generator, task_id, data_format, JSON.parse(String(data_element)).id ?? null]),
      [
        ['panda-0002', 'lshw', null, 'application/json', 'first'],
        ['panda-0002', 'dmidecode-json', null, 'application/json', null],
        ['panda-0002', 'lshw', null, 'application/json', 'panda-0002'],
      ],
    );
    for (const record of records) assert.ok(!Number.isNaN(Date.parse(String(record['collected_date']))), String(record['collected_date']));
    for (const query of ['?latest=true', '?latest=True', '/?latest=TRUE']) {
      assert.deepEqual((await builddata('panda-0002', query)).body, [records[1], records[2]], query);
    }
    for (const query of ['?latest=false', '?latest=False', '?latest=no']) assert.deepEqual((await builddata('panda-0002', query)).body, records, query);
  });

  it('names a node at work for Drydock after its node task’s action', async () => {
    for (const [node, action] of [
      ['panda-0001', 'verify_nodes'],
      ['panda-0002', 'deploy_nodes'],
    ] as const) {
      // Power that never answers keeps the device at work, held by the node task.
      lab.lab.fake.power.set(node, 'hang');
      const task = await createTask(lab, { action, design_ref: GOOD_DESIGN, node_filter: byNames(node) });
      const [nodeTaskId] = (await waitForTask(lab, task.task_id, (each) => each.subtask_id_list.length === 1)).subtask_id_list;
      await waitForTask(lab, nodeTaskId!, (each) => each.result.details.messageList.length > 0);
    }
    const listed = await nodes();
    assert.deepEqual([listed.get('panda-0001')?.status_name, listed.get('panda-0002')?.status_name], ['Testing', 'Deploying']);
  });

  it('reads cpu_count and memory (MiB) off the node’s newest JSON report', async () => {
    const node = (await nodes()).get('panda-0002');
    assert.deepEqual([node?.cpu_count, node?.memory], [8, 2048]);
  });
});
