import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { logWarningsTo } from '../../src/logging/logger.js';
import { createFakeHardware } from '../support/fake-hardware.js';
import { createTestInventory, startTestLab, type TestLab } from '../support/lab-harness.js';
import { createMemoryLog, type LogLine } from '../support/memory-log.js';
import { waitFor } from '../support/wait-for.js';
import { mozpoolDialect } from '../../src/dialects/mozpool/mozpool-dialect.js';

const WARN = 40;

describe('logWarningsTo', () => {
  it('logs at warn with the component and the fields', () => {
    const { logger, lines } = createMemoryLog();
    logWarningsTo(logger, 'lab')({ device: 'd' }, 'careful');
    assert.deepEqual([lines[0]?.['level'], lines[0]?.['component'], lines[0]?.['device'], lines[0]?.['msg']], [WARN, 'lab', 'd', 'careful']);
  });
});

describe('failed power cycles in the process log', () => {
  const { logger, lines } = createMemoryLog();
  const fake = createFakeHardware();
  let lab: TestLab;
  const powerWarnings = (device: string): LogLine[] => lines.filter((line) => line['level'] === WARN && line['device'] === device && 'pdu' in line);

  before(async () => {
    // panda-0001's PDU fails from the start: its first self-test's power cycle fails.
    fake.power.set('panda-0001', 'fail');
    lab = await startTestLab(createTestInventory(2), { logger, fake, ready: false });
  });
  after(() => lab.labpool.stop());

  it('logs a failed power cycle of the state machine at warn, with device, PDU, relay_info, reason and retry', async () => {
    await waitFor(() => powerWarnings('panda-0001').length > 0);
    const [line] = powerWarnings('panda-0001');
    assert.equal(line?.['component'], 'lab');
    assert.equal(line?.['pdu'], 'pdu1:161');
    assert.equal(line?.['relayInfo'], 'pdu1:161/1');
    assert.equal(line?.['state'], 'pxe_power_cycling');
    assert.equal(line?.['attempt'], 1);
    assert.match(String(line?.['retryAt']), /^\d{4}-\d\d-\d\dT/);
    assert.equal(line?.['reason'], 'power cycle failed (fake)');
    assert.match(String(line?.['msg']), /^power cycle of panda-0001 failed \(attempt 1 in pxe_power_cycling\), PDU pdu1:161: power cycle failed \(fake\)$/);
  });

  it('logs a failed BMM power cycle too, without a retry, and nothing for a device whose power works', async () => {
    const devices = lab.labpool.lab.context.kinds.devices;
    // Its self-test's power cycle hangs (the harness's default) until it is forced ready.
    await waitFor(async () => (await devices.read('panda-0002')).state.state === 'pxe_power_cycling');
    assert.equal((await lab.labpool.part(mozpoolDialect).lab.commands.forceState('panda-0002', 'pxe_power_cycling', 'ready', { actor: 'test' })).ok, true);
    fake.power.set('panda-0002', 'fail');
    const response = await fetch(`${lab.url}/api/device/panda-0002/power-cycle/`, { method: 'POST', body: '{}' });
    assert.equal(response.status, 200);
    await waitFor(() => powerWarnings('panda-0002').length > 0);
    const [line] = powerWarnings('panda-0002');
    assert.deepEqual([line?.['state'], line?.['attempt'], line?.['retryAt'], line?.['pdu']], ['ready', null, null, 'pdu1:161']);
    fake.power.delete('panda-0002');
    const warnedBefore = powerWarnings('panda-0002').length;
    await fetch(`${lab.url}/api/device/panda-0002/power-cycle/`, { method: 'POST', body: '{}' });
    await waitFor(() => fake.callsFor('panda-0002').filter((call) => call.operation === 'cycle').length >= 2);
    await waitFor(async () => (await lab.labpool.store.readStream('device-panda-0002')).some((event) => event.type === 'PowerCycleSucceeded'));
    assert.equal(powerWarnings('panda-0002').length, warnedBefore);
  });

  it('logs a device entering a failed state at warn, with the reason', async () => {
    const failedWarnings = () => lines.filter((line) => line['level'] === WARN && line['device'] === 'panda-0002' && line['state'] === 'failed_self_test');
    assert.equal((await lab.labpool.part(mozpoolDialect).lab.commands.forceState('panda-0002', 'ready', 'failed_self_test', { actor: 'test' })).ok, true);
    await waitFor(() => failedWarnings().length > 0);
    assert.deepEqual([failedWarnings()[0]?.['from'], failedWarnings()[0]?.['msg']], ['ready', 'device panda-0002 entered failed_self_test (from ready): forced from ready']);
  });
});
