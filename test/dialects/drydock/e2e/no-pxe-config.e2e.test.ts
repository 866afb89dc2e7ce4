import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestInventory, type TestLab } from '../../../support/lab-harness.js';
import { createTokenOf, send, startLabWithUsers, tokenHeader } from '../../../support/locked-lab.js';
import { waitFor } from '../../../support/wait-for.js';
import { nodeFilter } from './drydock-e2e-harness.js';

/** An erase image the lab knows but cannot PXE boot: the device would only log it, so the task fails the node at once. */
describe('Drydock destroy_nodes with an erase image without a PXE config', () => {
  let lab: TestLab;
  let headers: Record<string, string>;
  const inventory = createTestInventory(1);
  const withErase = { ...inventory, images: [...inventory.images, { ...inventory.images[1]!, name: 'erase', pxeConfigs: {} }] };

  before(async () => {
    lab = await startLabWithUsers(withErase);
    headers = tokenHeader(await createTokenOf(lab.url, 'otto'));
  });
  after(() => lab?.labpool.stop());

  it('fails the node naming the missing config, and leaves the node free', async () => {
    const created = await send(lab.url, 'POST', '/api/v1.0/tasks', { headers, body: { action: 'destroy_nodes', design_ref: 'labpool:inventory', node_filter: nodeFilter(['panda-0001']) } });
    assert.equal(created.status, 201, created.text);
    let task: any;
    await waitFor(async () => (task = (await send(lab.url, 'GET', `/api/v1.0/tasks/${created.body.task_id}`, { headers })).body).status === 'complete');
    assert.deepEqual([task.result.status, task.result.failures], ['failure', ['panda-0001']]);
    const errors = task.result.details.messageList.filter((message: { error: boolean }) => message.error).map((message: { message: string }) => message.message);
    assert.deepEqual(errors, ['node panda-0001 cannot be erased: no active PXE config for erase on panda']);
    const device = lab.labpool.lab.context.readModels.devices.get('panda-0001');
    assert.deepEqual([device?.state, device?.holder], ['ready', null]);
  });
});
