import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MozpoolReadModels } from '../../../src/dialects/mozpool/projections/mozpool-read-models.js';
import { given, type GivenEvent } from './given-events.js';
import { T0, attached, entered, imageDefined, pxeConfigDefined, readyDevice, requestEvent, requestOpened } from './lab-events.js';

/** An event type of a newer version, in `stream`. */
const fromNewerVersion = (stream: string): GivenEvent => ({ stream, type: 'SomethingNewHappened', data: { atMs: T0, detail: 'unknown here' } });

const lifeOfTheLab: readonly GivenEvent[] = [
  pxeConfigDefined('linux'),
  imageDefined('android'),
  ...readyDevice('panda-0001'),
  requestOpened(1, { requestedDevice: 'panda-0001' }),
  requestEvent(1, { type: 'RequestDeviceAssigned', data: { device: 'panda-0001', atMs: T0 } }),
  attached('panda-0001', 1),
  entered('panda-0001', 'ready', 'pxe_power_cycling', T0 + 1000),
];

function everyView(lab: MozpoolReadModels) {
  const messages = (log: readonly { readonly source: string; readonly message: string }[]) => log.map(({ source, message }) => `${source}: ${message}`);
  return {
    devices: lab.devices.list(),
    requests: lab.requests.list(true),
    images: lab.images.list(true),
    pxeConfigs: lab.pxeConfigs.list(false),
    deviceLog: messages(lab.devices.log('panda-0001')),
    requestLog: messages(lab.requests.log(1)),
  };
}

describe('mozpool read models: event types of a newer version', () => {
  it('are skipped in every stream, and the events after them still fold', () => {
    const withNewer = lifeOfTheLab.flatMap((event) => [fromNewerVersion(event.stream), event]);
    const lab = given(withNewer);
    assert.deepEqual(everyView(lab), everyView(given(lifeOfTheLab)));
    assert.equal(lab.devices.get('panda-0001')?.state, 'pxe_power_cycling');
    // They still count in the stream's revision, which a write after them expects.
    assert.equal(lab.devices.revision('panda-0001'), 7);
  });
});
