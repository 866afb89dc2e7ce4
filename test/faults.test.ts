import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runFaults } from '../faults/fault-run.js';

/**
 * The quick subset of `npm run faults`: two `kill -9` rounds under load. It asserts what no machine's
 * speed excuses (nothing acknowledged lost, no device stranded or held twice, no deadline early) and
 * prints the rest; the full run (`npm run faults`) also holds restart and deadline times to their limits.
 */
describe('npm run faults, quick subset', () => {
  it('keeps every acknowledged command through two kill -9 rounds, strands and doubles nothing', async () => {
    const seed = Number(process.env.FAULTS_SEED ?? Date.now() % 1_000_000);
    const report = await runFaults({ rounds: 2, seed, settleMs: 0, abuse: false, log: (line) => console.log(`# ${line}`) });
    console.log(
      `# seed ${seed}: ${report.acknowledged} acknowledged, ${report.checked} checked, restarts ${report.restartMs.join(', ')} ms, ${report.deadlines.fired} deadlines fired, lateness max ${Math.max(0, ...report.deadlines.latenessMs)} ms`,
    );
    assert.ok(report.acknowledged > 0, 'the load had no command acknowledged: nothing was checked');
    assert.deepEqual(report.lost, []);
    assert.deepEqual(report.stranded, []);
    assert.deepEqual(report.doubles, []);
    assert.deepEqual(report.deadlines.early, []);
  });
});
