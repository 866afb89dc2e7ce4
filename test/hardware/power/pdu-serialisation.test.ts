import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulatedPdu, type SimulatedExchange, type SimulatedPdu } from '../../../src/sim/pdu-agent.js';
import { findFreeUdpPort } from '../../support/free-port.js';
import { createTestPower, target, timed } from './power-fixtures.js';

const PAUSE_MS = 5;
const cyclesOf = (pdu: SimulatedPdu) => Array.from({ length: 10 }, (_, i) => target(`127.0.0.1:${pdu.port}/${i + 1}`, `dev-${pdu.port}-${i + 1}`));

/** Pairs of exchanges the agent was handling at the same moment. */
function overlaps(exchanges: readonly SimulatedExchange[]): number {
  const sorted = [...exchanges].sort((a, b) => a.startedAtMs - b.startedAtMs);
  return sorted.filter((exchange, i) => i > 0 && exchange.startedAtMs < sorted[i - 1]!.answeredAtMs).length;
}

describe('one actor per PDU', () => {
  let first: SimulatedPdu;
  let second: SimulatedPdu;

  // The agents take 3 ms to answer, so two requests in flight at once would overlap in their logs.
  before(async () => {
    first = await startSimulatedPdu({ model: 'apc_spdu', port: await findFreeUdpPort(), outlets: 10, answerDelayMs: 3 });
    second = await startSimulatedPdu({ model: 'apc_rpdu2', port: await findFreeUdpPort(), outlets: 10, answerDelayMs: 3 });
  });
  after(async () => {
    await Promise.all([first.stop(), second.stop()]);
  });

  it('serialises 10 concurrent cycles on one PDU, while another PDU proceeds in parallel', async (t) => {
    // createTestPower never retransmits, so the agents' logs hold each request once: 10 cycles × 4 exchanges.
    const power = createTestPower({ pauseBetweenMs: PAUSE_MS, offOnDelayMs: 20 });
    try {
      const before = [first.exchanges().length, second.exchanges().length] as const;
      const { result, ms } = await timed(() =>
        Promise.all([
          ...cyclesOf(first).map((device) => power.cycle(device)),
          ...cyclesOf(second).map((device) => power.cycle({ ...device, relayInfo: `snmp://private@${device.relayInfo}?model=apc_rpdu2` })),
        ]),
      );
      assert.deepEqual(
        result,
        Array.from({ length: 20 }, () => ({ ok: true })),
      );
      const onFirst = first.exchanges().slice(before[0]);
      const onSecond = second.exchanges().slice(before[1]);
      assert.equal(onFirst.length, 40);
      assert.equal(onSecond.length, 40);
      for (const exchanges of [onFirst, onSecond]) {
        assert.equal(overlaps(exchanges), 0);
        const gaps = exchanges.slice(1).map((exchange, i) => exchange.startedAtMs - exchanges[i]!.answeredAtMs);
        // Timers may fire a millisecond early by performance.now(); the pause is there all the same.
        assert.ok(Math.min(...gaps) >= PAUSE_MS - 1, `smallest gap ${Math.min(...gaps)} ms`);
      }
      const [firstStart, firstEnd] = [onFirst[0]!.startedAtMs, onFirst.at(-1)!.answeredAtMs];
      const [secondStart, secondEnd] = [onSecond[0]!.startedAtMs, onSecond.at(-1)!.answeredAtMs];
      assert.ok(secondStart < firstEnd && firstStart < secondEnd, 'the two PDUs were worked on at the same time');
      assert.ok([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].every((outlet) => first.isOn(outlet) && second.isOn(outlet)));
      t.diagnostic(`20 cycles on 2 PDUs (40 exchanges each, ${PAUSE_MS} ms apart): ${ms.toFixed(0)} ms`);
    } finally {
      await power.stop();
    }
  });

  it('the check above can fail: two separate power controls on one PDU do overlap', async () => {
    const [one, two] = [createTestPower({ pauseBetweenMs: PAUSE_MS }), createTestPower({ pauseBetweenMs: PAUSE_MS })];
    try {
      const before = first.exchanges().length;
      const devices = cyclesOf(first);
      const results = await Promise.all(devices.map((device, i) => (i % 2 === 0 ? one : two).cycle(device)));
      assert.ok(results.every((result) => result.ok));
      assert.ok(overlaps(first.exchanges().slice(before)) > 0);
    } finally {
      await Promise.all([one.stop(), two.stop()]);
    }
  });
});
