import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import snmp from 'net-snmp';
import { outletOid, shippedPduModels, type PduModel } from '../../src/hardware/power/pdu-models.js';
import { startSimulatedPdu, type SimulatedPdu } from '../../src/sim/pdu-agent.js';
import { acmeModel } from '../hardware/power/power-fixtures.js';
import { findFreeUdpPort } from '../support/free-port.js';
import { waitFor } from '../support/wait-for.js';

/** What the agent answered one request, seen through net-snmp's own client (not labpool's). */
type Answer = { readonly status?: number; readonly timedOut?: boolean; readonly type?: number; readonly value?: unknown };

function ask(port: number, community: string, oid: string, setValue?: number): Promise<Answer> {
  const session = snmp.createSession('127.0.0.1', community, { port, version: snmp.Version2c, timeout: 200, retries: 0 });
  return new Promise<Answer>((resolve) => {
    const done = (error: Error | null, varbinds?: readonly snmp.Varbind[]) => {
      session.close();
      if (error) return resolve(error.name === 'RequestTimedOutError' ? { timedOut: true } : { status: (error as snmp.RequestFailedError).status });
      resolve({ type: varbinds?.[0]?.type, value: varbinds?.[0]?.value });
    };
    if (setValue === undefined) session.get([oid], done);
    else session.set([{ oid, type: snmp.ObjectType.Integer, value: setValue }], done);
  });
}

const control = (model: PduModel, outlet: number) => outletOid(model.outletControlOid, outlet);
const state = (model: PduModel, outlet: number) => outletOid(model.outletStateOid, outlet);

describe('simulated PDU agent', () => {
  for (const model of [...Object.values(shippedPduModels), acmeModel]) {
    it(`poses as a ${model.name} PDU: outlets start off, SETs switch them, the state reads back`, async () => {
      const pdu = await startSimulatedPdu({ model: model.name in shippedPduModels ? model.name : model, port: await findFreeUdpPort(), outlets: 4 });
      try {
        assert.equal(pdu.model, model.name);
        assert.deepEqual(await ask(pdu.port, 'public', state(model, 2)), { type: snmp.ObjectType.Integer, value: model.stateOffValue });
        assert.deepEqual(await ask(pdu.port, 'private', control(model, 2), model.onValue), { type: snmp.ObjectType.Integer, value: model.onValue });
        assert.equal(pdu.isOn(2), true);
        assert.deepEqual(await ask(pdu.port, 'public', state(model, 2)), { type: snmp.ObjectType.Integer, value: model.stateOnValue });
        assert.equal((await ask(pdu.port, 'private', control(model, 2), model.offValue)).status, undefined);
        assert.deepEqual(await ask(pdu.port, 'public', state(model, 2)), { type: snmp.ObjectType.Integer, value: model.stateOffValue });
        assert.deepEqual(
          [1, 2, 3, 4].map((outlet) => pdu.isOn(outlet)),
          [false, false, false, false],
        );
      } finally {
        await pdu.stop();
      }
    });
  }

  describe('behaviour', () => {
    const model = shippedPduModels.apc_rpdu2!;
    let pdu: SimulatedPdu;
    const changes: string[] = [];
    before(async () => {
      pdu = await startSimulatedPdu({ model: 'apc_rpdu2', port: await findFreeUdpPort(), outlets: 4, deadOutlets: [3], rebootOffMs: 50 });
      pdu.onOutletChange((outlet, on) => changes.push(`${outlet} ${on ? 'on' : 'off'}`));
    });
    after(() => pdu.stop());

    it('tells listeners of real changes only, until they unsubscribe', async () => {
      const mine: string[] = [];
      const unsubscribe = pdu.onOutletChange((outlet, on) => mine.push(`${outlet} ${on}`));
      await ask(pdu.port, 'private', control(model, 1), model.offValue);
      await ask(pdu.port, 'private', control(model, 1), model.onValue);
      await ask(pdu.port, 'private', control(model, 1), model.onValue);
      unsubscribe();
      await ask(pdu.port, 'private', control(model, 1), model.offValue);
      assert.deepEqual(mine, ['1 true']);
      assert.equal(pdu.isOn(1), false);
    });

    it('reboots: off, then on again after a short delay', async () => {
      await ask(pdu.port, 'private', control(model, 2), model.onValue);
      changes.length = 0;
      assert.equal((await ask(pdu.port, 'private', control(model, 2), model.rebootValue)).status, undefined);
      assert.deepEqual(changes, ['2 off']);
      await waitFor(() => pdu.isOn(2), 1000);
      assert.deepEqual(changes, ['2 off', '2 on']);
    });

    it('answers wrongValue to a value the model does not know, and changes nothing', async () => {
      assert.deepEqual(await ask(pdu.port, 'private', control(model, 4), 7), { status: snmp.ErrorStatus.WrongValue });
      assert.equal(pdu.isOn(4), false);
    });

    it('answers notWritable to a SET of the read-only state column', async () => {
      assert.deepEqual(await ask(pdu.port, 'private', state(model, 4), model.stateOnValue), { status: snmp.ErrorStatus.NotWritable });
    });

    it('answers noSuchInstance for an outlet it does not have, noSuchObject outside its MIB', async () => {
      assert.equal((await ask(pdu.port, 'public', state(model, 5))).type, snmp.ObjectType.NoSuchInstance);
      assert.equal((await ask(pdu.port, 'private', control(model, 5), model.onValue)).type, snmp.ObjectType.NoSuchInstance);
      assert.equal((await ask(pdu.port, 'public', '1.3.6.1.4.1.1718.3.2.3.1.10.1.1.1')).type, snmp.ObjectType.NoSuchObject);
    });

    it('lets the read community read but not write, and ignores unknown communities', async () => {
      assert.equal((await ask(pdu.port, 'public', state(model, 1))).type, snmp.ObjectType.Integer);
      assert.deepEqual(await ask(pdu.port, 'public', control(model, 1), model.onValue), { status: snmp.ErrorStatus.NoAccess });
      assert.deepEqual(await ask(pdu.port, 'secret', state(model, 1)), { timedOut: true });
      assert.equal(pdu.isOn(1), false);
    });

    it('a dead outlet accepts SETs but never switches', async () => {
      changes.length = 0;
      assert.deepEqual(await ask(pdu.port, 'private', control(model, 3), model.onValue), { type: snmp.ObjectType.Integer, value: model.onValue });
      assert.deepEqual(await ask(pdu.port, 'public', state(model, 3)), { type: snmp.ObjectType.Integer, value: model.stateOffValue });
      assert.equal(pdu.isOn(3), false);
      assert.deepEqual(changes, []);
    });

    it('logs every outlet exchange it answered', () => {
      const log = pdu.exchanges();
      assert.ok(log.length >= 8, `${log.length} exchanges`);
      assert.deepEqual(
        log.filter((exchange) => !(exchange.answeredAtMs >= exchange.startedAtMs && exchange.outlet >= 1)),
        [],
      );
      assert.deepEqual(new Set(log.map(({ kind }) => kind)), new Set(['get', 'set']));
    });
  });

  it('refuses a port in use, an invalid model and an unknown model name', async () => {
    const taken = createSocket('udp4');
    await new Promise<void>((resolve) => taken.bind(0, '127.0.0.1', resolve));
    try {
      await assert.rejects(startSimulatedPdu({ model: 'apc_spdu', port: taken.address().port, outlets: 1 }), /EADDRINUSE/);
    } finally {
      taken.close();
    }
    await assert.rejects(startSimulatedPdu({ model: { ...acmeModel, onValue: acmeModel.offValue }, port: await findFreeUdpPort(), outlets: 1 }), /onValue and offValue must differ/);
    await assert.rejects(startSimulatedPdu({ model: 'raritan', port: await findFreeUdpPort(), outlets: 1 }), /no shipped PDU model 'raritan'/);
    await assert.rejects(startSimulatedPdu({ model: 'apc_spdu', port: 0, outlets: 1 }), /port 0/);
  });

  it('stopping with an answer still delayed neither answers nor crashes', async () => {
    const slow = await startSimulatedPdu({ model: 'apc_spdu', port: await findFreeUdpPort(), outlets: 1, answerDelayMs: 100 });
    const pending = ask(slow.port, 'private', control(shippedPduModels.apc_spdu!, 1), 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await slow.stop();
    assert.deepEqual(await pending, { timedOut: true });
    assert.equal(slow.isOn(1), false);
  });

  it('refuses a PDU without outlets', async () => {
    await assert.rejects(startSimulatedPdu({ model: 'apc_spdu', port: await findFreeUdpPort(), outlets: 0 }), /outlets must be a whole number/);
  });

  it('stop() frees the port and may be called twice', async () => {
    const port = await findFreeUdpPort();
    const pdu = await startSimulatedPdu({ model: 'apc_spdu', port, outlets: 1 });
    await pdu.stop();
    await pdu.stop();
    const again = await startSimulatedPdu({ model: 'apc_spdu', port, outlets: 1 });
    await again.stop();
  });
});
