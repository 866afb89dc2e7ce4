import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../../support/wait-for.js';
import { GOOD_NODES, PATIENCE_MS, startDrydockE2e, waitReady, type DrydockE2e } from './drydock-e2e-harness.js';

const [FIRST, SECOND] = GOOD_NODES;

/** Deploys that cannot succeed: a node someone else holds, and an operator who never reports. */
describe('Drydock deploy_nodes failures on the simulated lab', () => {
  let e2e: DrydockE2e;

  before(async () => {
    // One second for the bootactions: operator-check is never reported here.
    e2e = await startDrydockE2e(2, { drydock: { bootactionTimeoutS: 1 } });
    await waitReady(e2e, GOOD_NODES);
  });
  after(() => e2e?.stop());

  it('refuses a node leased through MozPool, naming it and its holder, and leaves the lease alone', async () => {
    const leased = await e2e.call('POST', `/api/device/${SECOND}/request/`, { assignee: 'someone', duration: 600, image: 'ubuntu' });
    assert.equal(leased.status, 200, JSON.stringify(leased.body));
    const requestId = leased.body.request.id as number;
    await waitFor(async () => (await e2e.device(SECOND)).request_id === requestId, PATIENCE_MS);
    const task = await e2e.finished((await e2e.createTask('deploy_nodes', [SECOND])).task_id);
    assert.deepEqual([task.status, task.result.status, task.result.failures, task.result.successes], ['complete', 'failure', [SECOND], []]);
    const errors = task.result.details.messageList.filter((message) => message.error).map((message) => message.message);
    assert.deepEqual(errors, [`node ${SECOND} cannot be taken: it is held by request ${requestId}`]);
    assert.equal((await e2e.device(SECOND)).request_id, requestId);
    assert.equal((await e2e.bootactions(SECOND)).length, 0, 'no bootaction was issued to it');
  });

  it('fails a node whose operator-check times out, though the node reported sim-hello', async () => {
    const task = await e2e.finished((await e2e.createTask('deploy_nodes', [FIRST])).task_id);
    assert.deepEqual([task.status, task.result.status, task.result.failures], ['complete', 'failure', [FIRST]], JSON.stringify(task.result));
    const errors = task.result.details.messageList.filter((message) => message.error).map((message) => message.message);
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, /^bootactions? (sim-hello, )?operator-check timed out$/);
    assert.equal((await e2e.imagings(FIRST, 'ubuntu')).length, 1, 'imaged before the wait began');
    await waitFor(async () => (await e2e.bootactions(FIRST)).some((action) => action.action_name === 'sim-hello' && action.action_status === 'success'), PATIENCE_MS);
    const operator = (await e2e.bootactions(FIRST)).find((action) => action.action_name === 'operator-check');
    assert.equal(operator?.action_status, 'pending');
  });
});
