import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startSimulatedPdu } from '../../../src/sim/pdu-agent.js';
import { findFreeUdpPort } from '../../support/free-port.js';
import { createSilentPduPower, createTestPower, target } from './power-fixtures.js';

describe('probing PDUs (verify_site): one state read per PDU, nothing switched', () => {
  it('reads one outlet per PDU over real UDP and groups the devices each powers', async () => {
    const [apc, second] = await Promise.all([
      startSimulatedPdu({ model: 'apc_spdu', port: await findFreeUdpPort(), outlets: 8 }),
      startSimulatedPdu({ model: 'servertech_sentry', port: await findFreeUdpPort(), outlets: 8 }),
    ]);
    const power = createTestPower();
    try {
      const targets = [
        target(`127.0.0.1:${apc.port}/1`, 'a1'),
        target(`127.0.0.1:${apc.port}/2`, 'a2'),
        target(`snmp://private@127.0.0.1:${second.port}/5?model=servertech_sentry`, 'b5'),
        target('not a relay', 'broken'),
      ];
      const results = await power.probe(targets);
      assert.deepEqual(
        results.map(({ pdu, devices, result }) => ({ pdu, devices, ok: result.ok })),
        [
          { pdu: `127.0.0.1:${apc.port}`, devices: ['a1', 'a2'], ok: true },
          { pdu: `127.0.0.1:${second.port}`, devices: ['b5'], ok: true },
          { pdu: 'not a relay', devices: ['broken'], ok: false },
        ],
      );
      assert.match(JSON.stringify(results[2]!.result), /expected host\[:port\]\/<outlet>/);
      // One GET per PDU, on the first device's outlet; no SET: probing never switches an outlet.
      assert.deepEqual(
        apc.exchanges().map(({ kind, outlet }) => [kind, outlet]),
        [['get', 1]],
      );
      assert.deepEqual(
        second.exchanges().map(({ kind, outlet }) => [kind, outlet]),
        [['get', 5]],
      );
      assert.equal(apc.isOn(1), false);
    } finally {
      await Promise.all([power.stop(), apc.stop(), second.stop()]);
    }
  });

  it('names a silent PDU and how long it was waited for', async () => {
    const power = createSilentPduPower();
    const silentPort = await findFreeUdpPort();
    try {
      const [result] = await power.probe([target(`127.0.0.1:${silentPort}/3`, 'quiet')]);
      assert.equal(result!.pdu, `127.0.0.1:${silentPort}`);
      assert.deepEqual(result!.devices, ['quiet']);
      assert.equal(result!.result.ok, false);
      assert.match(JSON.stringify(result!.result), /GET 1\.3\.6\.1\.4\.1\.318\.1\.1\.4\.4\.2\.1\.3\.3 failed: no answer within 150 ms after 2 tries/);
    } finally {
      await power.stop();
    }
  });

  it('answers at once, with nothing to read, for no devices and after stop', async () => {
    const power = createTestPower();
    assert.deepEqual(await power.probe([]), []);
    await power.stop();
    const [stopped] = await power.probe([target('127.0.0.1:1/1')]);
    assert.deepEqual(stopped!.result, { ok: false, error: 'power control stopped' });
  });
});
