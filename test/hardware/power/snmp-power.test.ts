import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PduModel } from '../../../src/hardware/power/pdu-models.js';
import { startSimulatedPdu, type SimulatedPdu } from '../../../src/sim/pdu-agent.js';
import { findFreeUdpPort } from '../../support/free-port.js';
import { acmeModel, answeringPowerOptions, createTestPower, target, timed } from './power-fixtures.js';

async function withPdu(model: PduModel | string, work: (pdu: SimulatedPdu) => Promise<void>): Promise<void> {
  const pdu = await startSimulatedPdu({ model, port: await findFreeUdpPort(), outlets: 8 });
  try {
    await work(pdu);
  } finally {
    await pdu.stop();
  }
}

describe('SNMP power control against simulated PDUs', () => {
  for (const model of ['apc_spdu', 'apc_rpdu2', 'servertech_sentry', acmeModel] as const) {
    const name = typeof model === 'string' ? model : `${model.name} (config model)`;
    it(`cycles and switches off an outlet of a ${name} PDU`, (t) =>
      withPdu(model, async (pdu) => {
        const power = createTestPower();
        const relay = target(`snmp://private@127.0.0.1:${pdu.port}/3?model=${pdu.model}`);
        try {
          // Outlets start off: the first cycle leaves outlet 3 on, so the second has something to switch off.
          assert.deepEqual(await power.cycle(relay), { ok: true });
          assert.equal(pdu.isOn(3), true);
          const changes: [number, boolean, number][] = [];
          pdu.onOutletChange((outlet, on) => changes.push([outlet, on, performance.now()]));
          const cycle = await timed(() => power.cycle(relay));
          assert.deepEqual(cycle.result, { ok: true });
          assert.deepEqual(
            changes.map(([outlet, on]) => [outlet, on]),
            [
              [3, false],
              [3, true],
            ],
          );
          const offForMs = changes[1]![2] - changes[0]![2];
          assert.ok(offForMs >= answeringPowerOptions.offOnDelayMs - 1, `off for ${offForMs} ms`);
          const off = await timed(() => power.off(relay));
          assert.deepEqual(off.result, { ok: true });
          assert.equal(pdu.isOn(3), false);
          assert.deepEqual(
            changes.map(([outlet, on]) => [outlet, on]),
            [
              [3, false],
              [3, true],
              [3, false],
            ],
          );
          assert.deepEqual(
            [1, 2, 4, 5, 6, 7, 8].filter((outlet) => pdu.isOn(outlet)),
            [],
          );
          t.diagnostic(`${name}: cycle ${cycle.ms.toFixed(1)} ms (off→on ${offForMs.toFixed(1)} ms, offOnDelayMs ${answeringPowerOptions.offOnDelayMs}), off ${off.ms.toFixed(1)} ms`);
        } finally {
          await power.stop();
        }
      }));
  }

  it('a cycle is SET off, GET, SET on, GET on the PDU', () =>
    withPdu('apc_rpdu2', async (pdu) => {
      const power = createTestPower({ defaultModel: 'apc_rpdu2' });
      try {
        assert.deepEqual(await power.cycle(target(`127.0.0.1:${pdu.port}/5`)), { ok: true });
        assert.deepEqual(
          pdu.exchanges().map(({ kind, outlet }) => `${kind} ${outlet}`),
          ['set 5', 'get 5', 'set 5', 'get 5'],
        );
        assert.deepEqual(await power.off(target(`127.0.0.1:${pdu.port}/5`)), { ok: true });
        assert.deepEqual(
          pdu
            .exchanges()
            .slice(4)
            .map(({ kind }) => kind),
          ['set', 'get'],
        );
      } finally {
        await power.stop();
      }
    }));

  it('the short relay_info form uses the default community and model', () =>
    withPdu('servertech_sentry', async (pdu) => {
      const power = createTestPower({ defaultModel: 'servertech_sentry' });
      try {
        assert.deepEqual(await power.cycle(target(`127.0.0.1:${pdu.port}/8`)), { ok: true });
        assert.equal(pdu.isOn(8), true);
      } finally {
        await power.stop();
      }
    }));

  it('several devices on one PDU are switched independently', () =>
    withPdu('apc_spdu', async (pdu) => {
      const power = createTestPower();
      try {
        const results = await Promise.all([1, 2, 6].map((outlet) => power.cycle(target(`127.0.0.1:${pdu.port}/${outlet}`, `dev-${outlet}`))));
        assert.deepEqual(results, [{ ok: true }, { ok: true }, { ok: true }]);
        assert.deepEqual(
          [1, 2, 3, 4, 5, 6, 7, 8].filter((outlet) => pdu.isOn(outlet)),
          [1, 2, 6],
        );
        assert.deepEqual(await power.off(target(`127.0.0.1:${pdu.port}/2`)), { ok: true });
        assert.deepEqual(
          [1, 2, 3, 4, 5, 6, 7, 8].filter((outlet) => pdu.isOn(outlet)),
          [1, 6],
        );
      } finally {
        await power.stop();
      }
    }));
});
