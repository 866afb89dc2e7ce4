import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { outletOid, resolvePduModels, shippedPduModels } from '../../../src/hardware/power/pdu-models.js';
import { acmeModel } from './power-fixtures.js';

function resolveError(extra: Readonly<Record<string, unknown>>): string {
  const result = resolvePduModels(extra);
  assert.equal(result.ok, false);
  return result.ok ? '' : result.error;
}

describe('PDU models', () => {
  it('ships APC sPDU, APC rPDU2 and ServerTech Sentry with their MIB OIDs', () => {
    assert.equal(outletOid(shippedPduModels.apc_spdu!.outletControlOid, 5), '1.3.6.1.4.1.318.1.1.4.4.2.1.3.5');
    assert.equal(outletOid(shippedPduModels.apc_rpdu2!.outletStateOid, 5), '1.3.6.1.4.1.318.1.1.26.9.2.3.1.5.5');
    assert.equal(outletOid(shippedPduModels.servertech_sentry!.outletControlOid, 16), '1.3.6.1.4.1.1718.3.2.3.1.11.1.1.16');
    const resolved = resolvePduModels();
    assert.ok(resolved.ok);
    assert.deepEqual([...resolved.models.keys()], ['apc_spdu', 'apc_rpdu2', 'servertech_sentry']);
  });

  it('adds a model described entirely in config', () => {
    const resolved = resolvePduModels({ acme_pdu: acmeModel });
    assert.ok(resolved.ok);
    assert.equal(resolved.models.get('acme_pdu'), acmeModel);
    assert.equal(resolved.models.size, 4);
  });

  it('refuses a config model that reuses a shipped name', () => {
    assert.match(resolveError({ apc_spdu: { ...acmeModel, name: 'apc_spdu' } }), /'apc_spdu' is shipped/);
  });

  it('refuses malformed models, saying which field is wrong', () => {
    const cases: readonly (readonly [Readonly<Record<string, unknown>>, RegExp])[] = [
      [{ ...acmeModel, name: 'other' }, /differs from the key/],
      [{ ...acmeModel, outletControlOid: '1.3.6.1.4.1.99999.1' }, /outletControlOid must be a numeric OID ending in \.\{outlet\}/],
      [{ ...acmeModel, outletStateOid: 'iso.3.6.{outlet}' }, /outletStateOid must be a numeric OID/],
      [{ ...acmeModel, onValue: '1' }, /onValue must be a 32-bit integer/],
      [{ ...acmeModel, stateOffValue: 2 ** 40 }, /stateOffValue must be a 32-bit integer/],
      [{ ...acmeModel, rebootValue: 1.5 }, /rebootValue must be a 32-bit integer/],
      [{ ...acmeModel, offValue: acmeModel.onValue }, /onValue and offValue must differ/],
      [{ ...acmeModel, rebootValue: acmeModel.offValue }, /rebootValue must differ/],
      [{ ...acmeModel, stateOnValue: acmeModel.stateOffValue }, /stateOnValue and stateOffValue must differ/],
      [{ ...acmeModel, outletStateOid: '1.3.6.1.4.1.99999.1.2.1.4.7.{outlet}' }, /not nested/],
      [{ ...acmeModel, onvalue: 1 }, /unknown field\(s\) onvalue/],
    ];
    for (const [model, expected] of cases) {
      const error = resolveError({ acme_pdu: model });
      assert.match(error, /^PDU model 'acme_pdu': /);
      assert.match(error, expected);
    }
    assert.match(resolveError({ acme_pdu: 'nope' }), /must be an object/);
  });

  it('accepts a model without a reboot value', () => {
    const { rebootValue: _unused, ...noReboot } = acmeModel;
    assert.equal(resolvePduModels({ acme_pdu: noReboot }).ok, true);
  });
});
