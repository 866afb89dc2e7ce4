import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRelayInfoCheck } from '../../../src/hardware/power/relay-info.js';

/** A PDU model described in config. */
const acmeModel = {
  name: 'acme_pdu',
  outletControlOid: '1.3.6.1.4.1.99999.1.2.1.4.{outlet}',
  onValue: 10,
  offValue: 20,
  outletStateOid: '1.3.6.1.4.1.99999.1.2.1.3.{outlet}',
  stateOnValue: 5,
  stateOffValue: 6,
};

const power = { defaultCommunity: 'private', defaultModel: 'apc_spdu', models: { acme_pdu: acmeModel } };

describe('relay_info check at inventory time', () => {
  const check = createRelayInfoCheck(power);

  it('accepts both forms with a shipped or configured model, and no power info at all', () => {
    for (const relayInfo of ['pdu1.lab/7', 'pdu1.lab:16161/7', 'snmp://private@10.0.0.9:161/12?model=servertech_sentry', 'snmp://pdu2/3?model=acme_pdu', 'snmp://pdu2/3?model=apc_rpdu2', '']) {
      assert.equal(check(relayInfo), undefined, relayInfo);
    }
  });

  it('names an unknown model and the known ones', () => {
    assert.equal(check('snmp://private@pdu2:161/7?model=apc'), "unknown PDU model 'apc' (known: apc_spdu, apc_rpdu2, servertech_sentry, acme_pdu)");
  });

  it('says what is malformed', () => {
    assert.equal(check('pdu1.lab/zero'), "outlet 'zero' is not a positive integer");
    assert.match(check('pdu1.lab') ?? '', /^expected host\[:port\]\/<outlet>/);
  });

  it('checks short forms against the default model', () => {
    assert.match(createRelayInfoCheck({ ...power, defaultModel: 'apc' })('pdu1.lab/7') ?? '', /^unknown PDU model 'apc'/);
  });

  it('blames the power config when its models are unusable', () => {
    const broken = createRelayInfoCheck({ ...power, models: { apc_spdu: acmeModel } });
    assert.match(broken('pdu1.lab/7') ?? '', /^hardware\.power\.models: PDU model 'apc_spdu' is shipped with labpool/);
  });
});
