import { NAME_PATTERN } from '../../../domain/inventory/inventory-names.js';

/**
 * What another server may ask of a request this server opened: what the device it holds tells it
 * (its imaging result), when that device belongs to the other server.
 */
export const REQUEST_PEER_COMMANDS = {
  type: 'object',
  required: ['type', 'device', 'result', 'nowMs'],
  additionalProperties: false,
  properties: {
    type: { const: 'ImagingResult' },
    device: { type: 'string', pattern: NAME_PATTERN },
    result: { enum: ['complete', 'failed-bad-image', 'failed-bad-device'] },
    nowMs: { type: 'integer', minimum: 0 },
  },
} as const;
