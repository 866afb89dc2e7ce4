import { HOLDER_KINDS } from '../../domain/holders/holder.js';

const nowMs = { type: 'integer', minimum: 0 } as const;
const holder = {
  type: 'object',
  required: ['kind', 'id'],
  additionalProperties: false,
  properties: { kind: { enum: HOLDER_KINDS }, id: { type: 'string', minLength: 1 } },
} as const;

function command(type: string, properties: Readonly<Record<string, object>> = {}): object {
  return {
    type: 'object',
    required: ['type', 'nowMs', ...Object.keys(properties).filter((key) => key !== 'anyState')],
    additionalProperties: false,
    properties: { type: { const: type }, nowMs, ...properties },
  };
}

/**
 * What a server may ask another's device actor: what holders send the devices they hold (attach,
 * release, hand from one holder to the next, image, power-cycle). Everything else of a device (its
 * hardware results, its deadlines) happens on its owner only.
 */
export const DEVICE_PEER_COMMANDS = {
  oneOf: [
    command('AttachHolder', { holder, anyState: { type: 'boolean' } }),
    command('DetachHolder', { holder, reason: { type: 'string' } }),
    command('TransferHolder', { from: holder, to: holder, reason: { type: 'string' } }),
    command('PleaseImage', { image: { type: 'string' }, bootConfig: { type: 'string' }, pxeConfig: { type: ['string', 'null'] } }),
    command('PleasePowerCycle'),
    command('PleaseSelfTest'),
    command('PleaseStartMaintenance'),
  ],
} as const;
