import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventTypes, toDomainEvent } from '../../src/domain/to-domain-event.js';
import { DEVICE_EVENT_TYPES } from '../../src/domain/device/device-event-types.js';

type LampEvent = { readonly type: 'LampLit'; readonly data: { readonly watts: number } } | { readonly type: 'LampDimmed'; readonly data: { readonly percent: number } };

const LAMP_EVENT_TYPES = eventTypes<LampEvent>({ LampLit: true, LampDimmed: true });

describe('toDomainEvent', () => {
  it('gives back an event of a known type, with its data', () => {
    const event = toDomainEvent({ type: 'LampDimmed', data: { percent: 40 } }, LAMP_EVENT_TYPES);
    assert.deepEqual(event, { type: 'LampDimmed', data: { percent: 40 } });
    assert.equal(event?.type === 'LampDimmed' && event.data.percent, 40);
  });

  it('skips a type the union does not have, such as one a newer version wrote', () => {
    assert.equal(toDomainEvent({ type: 'LampExploded', data: { watts: 9_000 } }, LAMP_EVENT_TYPES), undefined);
    assert.equal(toDomainEvent({ type: 'toString', data: null }, LAMP_EVENT_TYPES), undefined);
    assert.equal(toDomainEvent({ type: 'LampLit', data: { watts: 60 } }, DEVICE_EVENT_TYPES), undefined);
  });

  it('lists every type once, in the order given', () => {
    assert.deepEqual(LAMP_EVENT_TYPES.types, ['LampLit', 'LampDimmed']);
    assert.equal(LAMP_EVENT_TYPES.has('LampLit'), true);
    assert.equal(LAMP_EVENT_TYPES.has('lamplit'), false);
    assert.equal(DEVICE_EVENT_TYPES.has('DeviceRegistered'), true);
  });
});
