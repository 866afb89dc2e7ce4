import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestInventory, startTestLab, type TestLab } from '../../support/lab-harness.js';
import { runFuzz } from '../../support/fuzz/fuzz-run.js';
import { formatFamilyStats } from '../../support/fuzz/fuzz-stats.js';

const SEED = Number(process.env.FUZZ_SEED ?? 13);
/** Per operation of the OpenAPI document: a short run here, `npm run fuzz` sends 1,000. */
const REQUESTS_PER_OPERATION = Number(process.env.FUZZ_REQUESTS ?? 20);
const POOL = 'ubuntu-x86_64';

describe('fuzzing every route of the OpenAPI document', () => {
  let lab: TestLab;
  const inventory = createTestInventory(3);
  before(async () => {
    // A pool of size 0: vmpooler's routes find a real pool, and nothing images in the background.
    lab = await startTestLab(inventory, { config: { vmpooler: { pools: [{ name: POOL, image: 'ubuntu', size: 0 }] } } });
  });
  after(async () => {
    await lab.labpool.stop();
  });

  it(`answers every malformed request with a 4xx in its family's shape and changes nothing (seed ${SEED})`, { timeout: Infinity }, async () => {
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype);
    const known = [...inventory.devices.map((device) => device.name), ...inventory.images.map((image) => image.name), ...inventory.pxeConfigs.map((pxe) => pxe.name), POOL, '1'];
    const report = await runFuzz({ baseUrl: lab.url, store: lab.labpool.store, seed: SEED, requestsPerOperation: REQUESTS_PER_OPERATION, known });
    console.log(`fuzz seed ${SEED} (FUZZ_SEED), ${REQUESTS_PER_OPERATION} per operation (FUZZ_REQUESTS), ${report.operations} operations`);
    console.log(formatFamilyStats(report.families));
    console.log(
      `log position ${report.positions.before} → ${report.positions.after}; events from requests taken: ${JSON.stringify(Object.fromEntries(report.takenEvents))}, ${report.otherEvents} from elsewhere`,
    );
    assert.deepEqual(report.failures, []);
    assert.deepEqual([...report.families.keys()].sort(), ['commissaire', 'drydock', 'labpool', 'mozpool', 'vmpooler']);
    assert.equal(report.otherEvents, 0, 'the lab is idle: every event must come from a request that was taken');
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype), prototypeKeys, 'no request may pollute Object.prototype');
  });
});
