import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolvePduModels, shippedPduModels, type PduModelCatalogue } from '../../../src/hardware/power/pdu-models.js';
import { parseRelayInfo } from '../../../src/hardware/power/relay-info.js';
import { acmeModel } from './power-fixtures.js';

const resolved = resolvePduModels({ acme_pdu: acmeModel });
assert.ok(resolved.ok);
const models: PduModelCatalogue = resolved.models;
const defaults = { community: 'private', model: 'apc_spdu', models };
const parse = (relayInfo: string) => parseRelayInfo(relayInfo, defaults);

function parsedError(relayInfo: string): string {
  const result = parse(relayInfo);
  assert.equal(result.ok, false, `${relayInfo} should not parse`);
  return result.ok ? '' : result.error;
}

describe('relay_info', () => {
  it('host/outlet takes the default port, community and model', () => {
    assert.deepEqual(parse('pdu1.lab/7'), { ok: true, address: { host: 'pdu1.lab', port: 161, community: 'private', outlet: 7, model: shippedPduModels.apc_spdu } });
  });

  it('host:port/outlet takes the port', () => {
    const result = parse('10.0.0.5:16161/12');
    assert.ok(result.ok);
    assert.deepEqual({ host: result.address.host, port: result.address.port, outlet: result.address.outlet }, { host: '10.0.0.5', port: 16161, outlet: 12 });
  });

  it('snmp://community@host:port/outlet?model= takes all four', () => {
    assert.deepEqual(parse('snmp://s3cret@pdu2:1161/3?model=servertech_sentry'), {
      ok: true,
      address: { host: 'pdu2', port: 1161, community: 's3cret', outlet: 3, model: shippedPduModels.servertech_sentry },
    });
  });

  it('the URL form may leave out community, port and model, and names config models', () => {
    const bare = parse('snmp://pdu3/4');
    assert.ok(bare.ok);
    assert.deepEqual([bare.address.community, bare.address.port, bare.address.model.name], ['private', 161, 'apc_spdu']);
    const generic = parse('SNMP://pdu3:200/4?model=acme_pdu');
    assert.ok(generic.ok);
    assert.equal(generic.address.model, acmeModel);
  });

  it('percent-decodes the community', () => {
    const result = parse('snmp://pa%40ss%20word@pdu/1');
    assert.ok(result.ok);
    assert.equal(result.address.community, 'pa@ss word');
  });

  it('ignores surrounding whitespace', () => {
    assert.equal(parse('  pdu1/2 \n').ok, true);
  });

  it('refuses an unknown model, naming the known ones', () => {
    assert.match(parsedError('snmp://pdu/1?model=raritan'), /unknown PDU model 'raritan' \(known: apc_spdu, apc_rpdu2, servertech_sentry, acme_pdu\)/);
    const badDefault = parseRelayInfo('pdu/1', { ...defaults, model: 'nope' });
    assert.deepEqual(badDefault.ok ? undefined : badDefault.error.includes("unknown PDU model 'nope'"), true);
  });

  for (const outlet of ['0', '-1', 'a', '1.5', '', '03', '99999999999']) {
    it(`refuses outlet '${outlet}'`, () => {
      assert.match(parsedError(`pdu:161/${outlet}`), /outlet '.*' is not a positive integer/);
    });
  }

  for (const port of ['0', '65536', 'snmp', '', '-5']) {
    it(`refuses port '${port}'`, () => {
      assert.match(parsedError(`pdu:${port}/1`), /port '.*' is not a UDP port/);
      assert.match(parsedError(`snmp://c@pdu:${port}/1`), /port '.*' is not a UDP port/);
    });
  }

  it('refuses malformed addresses with the expected forms in the message', () => {
    for (const bad of ['', 'pdu', 'pdu:161', '/3', 'http://pdu/3', 'snmp://@pdu/1', 'snmp://pdu/1?modle=x', 'pdu_1/3', 'snmp://c@/1']) {
      const error = parsedError(bad);
      assert.match(error, new RegExp(`^relay_info '${bad.replace(/[?.*/]/g, '\\$&')}': `));
    }
    assert.match(parsedError('pdu'), /expected host\[:port\]\/<outlet> or snmp:\/\/community@host:port\/<outlet>\?model=<model>/);
    assert.match(parsedError('snmp://pdu/1?modle=x'), /unknown parameter\(s\) modle/);
    assert.match(parsedError('snmp://@pdu/1'), /community before @ is empty/);
    assert.match(parsedError('snmp://%zz@pdu/1'), /not valid percent-encoding/);
  });
});
