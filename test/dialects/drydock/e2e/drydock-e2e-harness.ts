import assert from 'node:assert/strict';
import type { LabpoolConfig } from '../../../../src/config/config.js';
import { startSimLabpool, type SimLabpool } from '../../../support/sim-labpool.js';
import { waitFor } from '../../../support/wait-for.js';

/** Only bounds how long a broken build takes to fail: every wait is for a condition. */
export const PATIENCE_MS = 90_000;

/** The simulated lab's design (config/designs/sim-lab.yaml). */
export const SIM_DESIGN = 'file://sim-lab.yaml';

/** Devices a sim lab's default faults leave alone (sim-0003 hangs extracting ubuntu, sim-0004 fails its self-test). */
export const GOOD_NODES = ['sim-0001', 'sim-0002'] as const;

export type Reply = { readonly status: number; readonly body: any };

/** A task as `GET /tasks/{id}` answers it (the fields the tests read). */
export type TaskDict = {
  readonly task_id: string;
  readonly status: string;
  readonly subtask_id_list: readonly string[];
  readonly terminated_by: string | null;
  readonly result: {
    readonly status: string;
    readonly message: string | null;
    readonly successes: string[];
    readonly failures: string[];
    readonly details: { readonly messageList: { message: string; error: boolean; context: string }[] };
  };
};

/** One entry of `GET /api/v1.0/nodes/{hostname}/bootactions`. */
export type NodeBootaction = { readonly action_id: string; readonly action_name: string; readonly action_status: string; readonly action_key: string; readonly report_url: string };

/** One boot of the device audit (the fields the tests read). */
export type BootSummary = {
  readonly kind: string;
  readonly image: string | null;
  readonly stages: { stage: string }[];
  readonly holder: { kind: string; id: string } | null;
  readonly finished: { outcome: string } | null;
};

/** A simulated lab driven as Drydock's clients drive it: over HTTP with the demo operator's token. */
export type DrydockE2e = {
  readonly sim: SimLabpool;
  url(): string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  /** `POST /api/v1.0/tasks` of `action` over the design and the named nodes (all nodes when none). */
  createTask(action: string, nodes?: readonly string[]): Promise<TaskDict>;
  task(id: string): Promise<TaskDict>;
  /** The messages of the task's node tasks (`?layers=2`), which keep what went well as well. */
  nodeMessages(id: string): Promise<string[]>;
  /** Waits for the task's end and returns it. */
  finished(id: string): Promise<TaskDict>;
  /** `/api/device/list/?details=1`'s entry of the device. */
  device(name: string): Promise<{ state: string; image: string; request_id: number | null; held_by?: string }>;
  /** The boots of `image` the device's audit (`/api/device/{d}/boots/`) records, oldest first. */
  imagings(name: string, image: string): Promise<BootSummary[]>;
  /** The operator's view of the node's bootactions (`GET /api/v1.0/nodes/{h}/bootactions`). */
  bootactions(node: string): Promise<NodeBootaction[]>;
  /** Reports `name` of the node's latest deploy as the operator would, with the key that deploy issued. */
  report(node: string, name: string, status: 'success' | 'failure'): Promise<Reply>;
  stop(): Promise<void>;
};

export const nodeFilter = (nodes: readonly string[]) => ({ filter_set_type: 'union', filter_set: [{ filter_type: 'union', node_names: nodes }] });

/**
 * MozPool's power cycle waits out `pc_rebooting` (two minutes) before it pings: a short wait keeps
 * prepare_nodes quick. Then the device is pinged, a condition.
 */
const QUICK_REBOOT: LabpoolConfig['lifeguardLimits'] = { pc_rebooting: { timeoutMs: 200, maxCount: null } };

export async function startDrydockE2e(devices: number, overrides: Partial<LabpoolConfig> = {}): Promise<DrydockE2e> {
  const sim = await startSimLabpool(devices, { lifeguardLimits: QUICK_REBOOT, ...overrides });
  const url = () => sim.labpool.url;
  let token = '';
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
    const response = await fetch(`${url()}${path}`, {
      method,
      headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  };
  const basic = `Basic ${Buffer.from('demo:demo').toString('base64')}`;
  const issued = await call('POST', '/api/v1/token', undefined, { Authorization: basic });
  assert.equal(issued.status, 200, JSON.stringify(issued.body));
  token = issued.body.token;
  const task = async (id: string) => {
    const reply = await call('GET', `/api/v1.0/tasks/${id}`);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    return reply.body as TaskDict;
  };
  // 404 until a deploy issued the node's bootactions.
  const bootactions = async (node: string): Promise<NodeBootaction[]> => {
    const reply = await call('GET', `/api/v1.0/nodes/${node}/bootactions`);
    return reply.status === 200 ? reply.body : [];
  };
  const e2e: DrydockE2e = {
    sim,
    url,
    call,
    task,
    async createTask(action, nodes) {
      const reply = await call('POST', '/api/v1.0/tasks', { action, design_ref: SIM_DESIGN, ...(nodes === undefined ? {} : { node_filter: nodeFilter(nodes) }) });
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      return reply.body as TaskDict;
    },
    async nodeMessages(id) {
      const layered = (await call('GET', `/api/v1.0/tasks/${id}?layers=2`)).body as Record<string, TaskDict>;
      const subtasks = layered[id]?.subtask_id_list.map((sub) => layered[sub]) ?? [];
      return subtasks.flatMap((sub) => sub?.result.details.messageList.map((message) => message.message) ?? []);
    },
    async finished(id) {
      let last: TaskDict | undefined;
      await waitFor(async () => ['complete', 'terminated'].includes((last = await task(id)).status), PATIENCE_MS);
      return last!;
    },
    async device(name) {
      const reply = await call('GET', '/api/device/list/?details=1');
      return reply.body.devices.find((device: { name: string }) => device.name === name);
    },
    async imagings(name, image) {
      const reply = await call('GET', `/api/device/${name}/boots/`);
      return (reply.body.boots as BootSummary[]).filter((boot) => boot.image === image);
    },
    bootactions,
    async report(node, name, status) {
      const action = (await bootactions(node)).find((each) => each.action_name === name);
      assert.ok(action, `node ${node} has no bootaction ${name}`);
      const headers = { 'X-Bootaction-Key': action.action_key };
      const body = { status, details: [{ message: `${name} checked by the operator`, error: status === 'failure' }] };
      const response = await fetch(action.report_url, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, body: await response.json() };
    },
    stop: () => sim.stop(),
  };
  return e2e;
}

/** Waits until every named device is free and ready (new simulated devices self-test first). */
export async function waitReady(e2e: DrydockE2e, nodes: readonly string[]): Promise<void> {
  for (const node of nodes) await waitFor(async () => (await e2e.device(node))?.state === 'ready', PATIENCE_MS);
}

/** A whole deploy of `nodes`: each node reports sim-hello itself, then the operator reports operator-check. */
export async function deployNodes(e2e: DrydockE2e, nodes: readonly string[]): Promise<TaskDict> {
  const created = await e2e.createTask('deploy_nodes', nodes);
  for (const node of nodes) {
    await waitFor(async () => (await e2e.bootactions(node)).some((action) => action.action_name === 'sim-hello' && action.action_status === 'success'), PATIENCE_MS);
    assert.equal((await e2e.report(node, 'operator-check', 'success')).status, 200);
  }
  return e2e.finished(created.task_id);
}

/** Waits until the device is imaging or power cycling for a holder: its state has left `ready`. */
export async function waitBusy(e2e: DrydockE2e, node: string): Promise<void> {
  await waitFor(async () => {
    const device = await e2e.device(node);
    return device.held_by !== undefined && device.state !== 'ready';
  }, PATIENCE_MS);
}
