import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { powerTroubleOf } from '../../../src/projections/lab/power-trouble.js';
import { given } from './given-events.js';
import { T0, deviceEvent, entered, readyDevice, registered, retired } from './lab-events.js';

const failed = (name: string, error: string, atMs = T0) => deviceEvent(name, { type: 'PowerCycleFailed', data: { error, atMs } });
const succeeded = (name: string, atMs = T0) => deviceEvent(name, { type: 'PowerCycleSucceeded', data: { atMs } });
const troubleOf = (lab: ReturnType<typeof given>, name: string) => {
  const view = lab.devices.get(name);
  return view === undefined ? undefined : powerTroubleOf(view);
};

describe('device read model: power trouble', () => {
  it('has none for a device whose power cycles never failed', () => {
    const lab = given([...readyDevice('d'), succeeded('d')]);
    assert.equal(troubleOf(lab, 'd'), undefined);
    assert.equal('power_trouble' in (lab.devices.get('d') ?? {}), false);
  });

  it('counts failed power cycles in a row, keeping the first failure’s time and the latest reason', () => {
    const lab = given([...readyDevice('d'), entered('d', 'ready', 'pxe_power_cycling'), failed('d', 'SET off: no answer', T0 + 1000)]);
    assert.deepEqual(troubleOf(lab, 'd'), { failedCycles: 1, lastError: 'SET off: no answer', since: new Date(T0 + 1000).toISOString() });
    lab.and([entered('d', 'pxe_power_cycling', 'pxe_power_cycling'), failed('d', 'read-back mismatch', T0 + 61_000)]);
    assert.deepEqual(troubleOf(lab, 'd'), { failedCycles: 2, lastError: 'read-back mismatch', since: new Date(T0 + 1000).toISOString() });
    assert.equal(lab.devices.get('d')?.state, 'pxe_power_cycling', 'the rest of the view is kept');
  });

  it('ends with the next power cycle that succeeds, and starts afresh on a later failure', () => {
    const lab = given([...readyDevice('d'), failed('d', 'timeout'), failed('d', 'timeout'), succeeded('d', T0 + 5000)]);
    assert.equal(troubleOf(lab, 'd'), undefined);
    assert.equal('power_trouble' in (lab.devices.get('d') ?? {}), false);
    lab.and([failed('d', 'no answer', T0 + 9000)]);
    assert.deepEqual(troubleOf(lab, 'd'), { failedCycles: 1, lastError: 'no answer', since: new Date(T0 + 9000).toISOString() });
  });

  it('survives state changes and inventory updates, and is gone with a retired device registered again', () => {
    const lab = given([...readyDevice('d'), failed('d', 'dead outlet'), entered('d', 'pxe_power_cycling', 'failed_pxe_power_cycling')]);
    assert.equal(troubleOf(lab, 'd')?.failedCycles, 1);
    lab.and([retired('d'), registered('d')]);
    assert.equal(troubleOf(lab, 'd'), undefined);
  });

  it('gives the list a new view when the trouble changes, so cached answers are rebuilt', () => {
    const lab = given([...readyDevice('d')]);
    const before = lab.devices.list();
    lab.and([failed('d', 'no answer')]);
    assert.notEqual(lab.devices.list(), before);
    assert.equal(powerTroubleOf(lab.devices.list()[0]!)?.failedCycles, 1);
  });
});
