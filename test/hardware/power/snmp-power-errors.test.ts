import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import type { HardwareResult } from '../../../src/lab/hardware-ports.js';
import { createSnmpPower } from '../../../src/hardware/power/snmp-power.js';
import { startSimulatedPdu, type SimulatedPdu } from '../../../src/sim/pdu-agent.js';
import { failLookup, withLookup } from '../../support/fake-lookup.js';
import { findFreeUdpPort } from '../../support/free-port.js';
import { waitFor } from '../../support/wait-for.js';
import { acmeModel, answeringPowerOptions, createSilentPduPower, createTestPower, target, timed } from './power-fixtures.js';

/** Fails the test unless `result` is a failure; returns its message. */
function failure(result: HardwareResult): string {
  assert.equal(result.ok, false, 'expected a failure value');
  return result.ok ? '' : result.error;
}

/**
 * The least time two tries of 150 ms can take by performance.now(): timers count whole milliseconds,
 * so each may fire up to 1 ms early. No upper bounds: a slow machine may take any time; that a
 * failure came from an answer, a timeout or the operation deadline is told by its message.
 */
const TWO_TRIES_MS = 2 * 150 - 2;

describe('SNMP power failures are clear values, within bounded time', () => {
  let apc: SimulatedPdu;
  let acme: SimulatedPdu;
  const power = createTestPower();
  const silentPower = createSilentPduPower();

  before(async () => {
    apc = await startSimulatedPdu({ model: 'apc_spdu', port: await findFreeUdpPort(), outlets: 4, deadOutlets: [4] });
    acme = await startSimulatedPdu({ model: acmeModel, port: await findFreeUdpPort(), outlets: 4 });
  });
  after(async () => {
    await Promise.all([power.stop(), silentPower.stop()]);
    await Promise.all([apc.stop(), acme.stop()]);
  });

  it('an unknown community gets no answer at all: a timeout that names the community', async () => {
    const { result, ms } = await timed(() => silentPower.cycle(target(`snmp://wrong@127.0.0.1:${apc.port}/1`)));
    const error = failure(result);
    assert.match(error, new RegExp(`^power cycle of panda-0001: PDU 127\\.0\\.0\\.1:${apc.port} outlet 1 \\(apc_spdu\\): SET off .* failed: `));
    assert.match(error, /no answer within 150 ms after 2 tries \(PDU unreachable, or it ignores community 'wrong'\)/);
    assert.ok(ms >= TWO_TRIES_MS, `${ms} ms`);
  });

  it('the read-only community is answered NoAccess', async () => {
    assert.match(
      failure(await power.off(target(`snmp://public@127.0.0.1:${apc.port}/1`))),
      /SET off \(1\.3\.6\.1\.4\.1\.318\.1\.1\.4\.4\.2\.1\.3\.1 = 2\) failed: the PDU answered NoAccess \(community 'public' may not do this\)/,
    );
  });

  it('a value the PDU does not accept is answered WrongValue (a config model with a wrong onValue)', async () => {
    const misconfigured = createTestPower({ models: { acme_pdu: { ...acmeModel, onValue: 99 } } });
    try {
      const error = failure(await misconfigured.cycle(target(`snmp://private@127.0.0.1:${acme.port}/2?model=acme_pdu`)));
      assert.match(
        error,
        /outlet 2 \(acme_pdu\): SET on \(1\.3\.6\.1\.4\.1\.99999\.1\.2\.1\.4\.2 = 99\) failed: the PDU answered WrongValue \(the value is not one this PDU accepts: check the model values\)/,
      );
      assert.equal(acme.isOn(2), false);
    } finally {
      await misconfigured.stop();
    }
  });

  it('an outlet the PDU does not have comes back as noSuchInstance, which is not an SNMP error', async () => {
    assert.match(
      failure(await power.cycle(target(`127.0.0.1:${apc.port}/9`))),
      /outlet 9 \(apc_spdu\): SET off \(1\.3\.6\.1\.4\.1\.318\.1\.1\.4\.4\.2\.1\.3\.9 = 2\) failed: the PDU answered noSuchInstance for 1\.3\.6\.1\.4\.1\.318\.1\.1\.4\.4\.2\.1\.3\.9 \(no such outlet, or not a PDU of this model\)/,
    );
  });

  it('a PDU of another model answers noSuchObject', async () => {
    assert.match(
      failure(await power.off(target(`snmp://private@127.0.0.1:${apc.port}/1?model=servertech_sentry`))),
      /the PDU answered noSuchObject for 1\.3\.6\.1\.4\.1\.1718\.3\.2\.3\.1\.11\.1\.1\.1 /,
    );
  });

  it('nothing listening: a timeout after every retry', async () => {
    const silentPort = await findFreeUdpPort();
    const { result, ms } = await timed(() => silentPower.cycle(target(`127.0.0.1:${silentPort}/1`)));
    assert.match(failure(result), new RegExp(`PDU 127\\.0\\.0\\.1:${silentPort} outlet 1 \\(apc_spdu\\): SET off .* failed: no answer within 150 ms after 2 tries`));
    assert.ok(ms >= TWO_TRIES_MS, `${ms} ms`);
  });

  for (const code of ['ENOTFOUND', 'EAI_AGAIN'] as const) {
    it(`a host that does not resolve (${code}) is a failure value naming the lookup error`, async () => {
      // A host per case: the power control keeps one session (and its socket's lookup) per PDU.
      const host = `pdu-${code.toLowerCase().replace('_', '-')}.does-not-exist.invalid`;
      const result = await withLookup(host, failLookup(code, host), () => power.off(target(`${host}/1`)));
      assert.match(failure(result), new RegExp(`PDU ${host.replaceAll('.', '\\.')}:161 outlet 1 \\(apc_spdu\\): SET off .* failed: cannot reach the PDU: getaddrinfo ${code} `));
    });
  }

  it('a name lookup that never answers is cut short after the exchange timeouts', async () => {
    const host = 'pdu.hanging-lookup.invalid';
    let asked = 0;
    const result = await withLookup(
      host,
      () => void (asked += 1),
      () => silentPower.off(target(`${host}/1`)),
    );
    assert.equal(asked, 1);
    // snmp-native never sent anything, so only the channel's backstop timer can have ended the exchange.
    assert.match(failure(result), /PDU pdu\.hanging-lookup\.invalid:161 outlet 1 \(apc_spdu\): SET off .* failed: no answer within 150 ms after 2 tries/);
  });

  it('a dead outlet takes the SET but the read-back catches it', async () => {
    const error = failure(await power.cycle(target(`127.0.0.1:${apc.port}/4`)));
    assert.match(error, /outlet 4 \(apc_spdu\): read-back mismatch after switching on: GET 1\.3\.6\.1\.4\.1\.318\.1\.1\.4\.4\.2\.1\.3\.4 = 2 \(off\), expected 1 \(on\): the outlet did not switch/);
    const patient = createTestPower({ readBackAttempts: 3 });
    try {
      assert.match(failure(await patient.cycle(target(`127.0.0.1:${apc.port}/4`))), /expected 1 \(on\) \(3 reads\)/);
    } finally {
      await patient.stop();
    }
  });

  it('a relay_info that does not parse fails without touching the network', async () => {
    assert.deepEqual(await power.cycle(target('pdu1:99999/1')), { ok: false, error: "power cycle of panda-0001: relay_info 'pdu1:99999/1': port '99999' is not a UDP port (1-65535)" });
    assert.match(failure(await power.off(target('snmp://pdu1/1?model=nope'))), /unknown PDU model 'nope'/);
  });

  it('a garbled answer is dropped, not a crash: the exchange times out', async () => {
    const garbler = createSocket('udp4');
    garbler.on('message', (_message, from) => garbler.send(Buffer.from('not snmp'), from.port, from.address));
    await new Promise<void>((resolve) => garbler.bind(0, '127.0.0.1', resolve));
    try {
      assert.match(failure(await silentPower.off(target(`127.0.0.1:${garbler.address().port}/1`))), /no answer within 150 ms after 2 tries/);
    } finally {
      garbler.close();
    }
  });
});

describe('SNMP power never hangs', () => {
  it('an operation stuck behind a slow PDU ends at its deadline', async () => {
    const slow = await startSimulatedPdu({ model: 'apc_spdu', port: await findFreeUdpPort(), outlets: 2, answerDelayMs: 100 });
    const power = createTestPower({ operationTimeoutMs: 250, timeoutMs: 1000 });
    try {
      const { result, ms } = await timed(() => power.cycle(target(`127.0.0.1:${slow.port}/1`)));
      assert.match(failure(result), /outlet 1 \(apc_spdu\): no result within 250 ms \(the PDU is busy or unreachable\)/);
      assert.ok(ms >= 249, `${ms} ms`);
      // The abandoned cycle's queued exchanges are skipped: the PDU is free again at once.
      await new Promise((resolve) => setTimeout(resolve, 150));
      const sets = slow.exchanges().filter(({ kind }) => kind === 'set').length;
      assert.ok(sets <= 2, `${sets} SETs reached the PDU`);
    } finally {
      await power.stop();
      await slow.stop();
    }
  });

  it('stop() ends operations in flight with an error, and later calls fail at once', async () => {
    const pdu = await startSimulatedPdu({ model: 'apc_spdu', port: await findFreeUdpPort(), outlets: 2 });
    const offOnDelayMs = 60_000;
    const power = createTestPower({ offOnDelayMs });
    try {
      const cycling = timed(() => power.cycle(target(`127.0.0.1:${pdu.port}/1`)));
      // SET off and its read-back answered: the cycle is in (or, within this turn, enters) its off-on wait.
      await waitFor(() => pdu.exchanges().length === 2);
      await power.stop();
      const { result, ms } = await cycling;
      assert.match(failure(result), /power control stopped/);
      assert.ok(ms < offOnDelayMs, `${ms} ms: stop() did not cut the off-on wait short`);
      assert.deepEqual(await power.off(target(`127.0.0.1:${pdu.port}/1`)), { ok: false, error: 'power off of panda-0001: power control stopped' });
    } finally {
      await pdu.stop();
    }
  });

  it('invalid power config is refused at startup, not at the first cycle', () => {
    assert.throws(() => createSnmpPower({ ...answeringPowerOptions, defaultModel: 'raritan' }), /unknown default PDU model 'raritan'/);
    assert.throws(() => createSnmpPower({ ...answeringPowerOptions, models: { acme_pdu: { ...acmeModel, offValue: 10 } } }), /PDU model 'acme_pdu': onValue and offValue must differ/);
    assert.throws(() => createSnmpPower({ ...answeringPowerOptions, timeoutMs: 0 }), /timeoutMs/);
  });
});
