import type { PduModel, PduModelCatalogue } from '../hardware/power/pdu-models.js';
import { parseRelayInfo } from '../hardware/power/relay-info.js';

/** Label of power failures whose device is unknown or whose relay_info does not parse. */
export const UNKNOWN_PDU = 'unknown';

const anyModel: PduModel = {
  name: 'any',
  outletControlOid: '0.{outlet}',
  onValue: 1,
  offValue: 2,
  outletStateOid: '0.{outlet}',
  stateOnValue: 1,
  stateOffValue: 2,
};

/**
 * A label needs only the PDU's address: a model named in relay_info that this server's catalogue
 * lacks (config-defined models live in the hardware config) must not turn the PDU into "unknown".
 */
class AnyModelCatalogue extends Map<string, PduModel> {
  override get(name: string): PduModel {
    return { ...anyModel, name };
  }
}

const anyModels: PduModelCatalogue = new AnyModelCatalogue();

/** `host:port` of the PDU a device's relay_info names (`pdu1:161/7` → `pdu1:161`), else {@link UNKNOWN_PDU}. */
export function pduLabelOf(relayInfo: string | undefined): string {
  if (relayInfo === undefined) return UNKNOWN_PDU;
  const parsed = parseRelayInfo(relayInfo, { community: 'public', model: 'any', models: anyModels });
  return parsed.ok ? `${parsed.address.host}:${parsed.address.port}` : UNKNOWN_PDU;
}
