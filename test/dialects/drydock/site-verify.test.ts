import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimLabpool, type SimLabpool } from '../../support/sim-labpool.js';
import { waitFor } from '../../support/wait-for.js';

type Message = { readonly message: string; readonly error: boolean; readonly context_type: string; readonly context: string };
type Task = { readonly status: string; readonly result: { readonly status: string; readonly details: { readonly messageList: readonly Message[] } } };

/** verify_site on the simulated lab: its PDUs answer over real SNMP, its TFTP server over real TFTP. */
describe('Drydock verify_site probes the real PDUs and TFTP server', { timeout: 120_000 }, () => {
  let sim: SimLabpool;
  let token: string;

  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown; location: string | null }> => {
    const response = await fetch(new URL(path, sim.labpool.url), {
      method,
      headers: { 'X-Auth-Token': token, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text === '' ? undefined : JSON.parse(text), location: response.headers.get('location') };
  };

  /** Runs verify_site to its end and returns the finished task. */
  const verifySite = async (): Promise<Task> => {
    const created = await call('POST', '/api/v1.0/tasks', { action: 'verify_site', design_ref: 'labpool:inventory' });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    let task: Task | undefined;
    await waitFor(async () => {
      task = (await call('GET', created.location!)).json as Task;
      return task.status === 'complete';
    });
    return task!;
  };
  const siteMessages = (task: Task, context: string) => task.result.details.messageList.filter((message) => message.context_type === 'site' && message.context === context);

  before(async () => {
    sim = await startSimLabpool(12);
    const response = await fetch(new URL('/api/v1/token', sim.labpool.url), { method: 'POST', headers: { Authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}` } });
    token = ((await response.json()) as { token: string }).token;
  });
  after(() => sim.stop());

  it('succeeds with one answering message per PDU, the TFTP server and the PXE configs', async () => {
    const task = await verifySite();
    assert.equal(task.result.status, 'success', JSON.stringify(task.result));
    const pdus = siteMessages(task, 'power');
    const ports = sim.labpool.simLab!.pdus.map((pdu) => pdu.port);
    assert.equal(pdus.length, ports.length);
    for (const port of ports)
      assert.ok(
        pdus.some((message) => !message.error && new RegExp(`^PDU [0-9.]+:${port} answers \\(\\d+ node\\(s\\)`).test(message.message)),
        JSON.stringify(pdus),
      );
    assert.deepEqual(
      siteMessages(task, 'tftp').map(({ message, error }) => ({ message, error })),
      [{ message: 'TFTP serves files from its root', error: false }],
    );
    assert.equal(siteMessages(task, 'pxe').filter((message) => message.error).length, 0);
  });

  // That a probe switches no outlet is shown on one PDU in test/hardware/power/pdu-probe.test.ts: here the lab's own work switches outlets too.
  it('fails naming the PDU that stopped answering', async () => {
    const silent = sim.labpool.simLab!.pdus[0]!;
    await silent.stop();
    const task = await verifySite();
    assert.equal(task.result.status, 'failure');
    const failed = siteMessages(task, 'power').filter((message) => message.error);
    assert.equal(failed.length, 1, JSON.stringify(failed));
    assert.match(failed[0]!.message, new RegExp(`^PDU [0-9.]+:${silent.port} \\(\\d+ node\\(s\\): .*\\): GET .* failed: no answer`));
  });
});
