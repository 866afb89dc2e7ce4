import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summarizeHardwareFacts } from '../../../src/domain/device/hardware-facts.js';
import type { JsonObject } from '../../../src/domain/device/device-events.js';
import { MAX_FACTS_REPORTS_KEPT } from '../../../src/projections/read-models.js';
import { simHardwareFacts, simHardwareOf } from '../../../src/sim/sim-facts.js';
import { given } from './given-events.js';
import { T0, attached, deviceEvent, detached, inventoryOf, readyDevice, registered, retired } from './lab-events.js';
import { requestHolder } from '../../../src/dialects/mozpool/domain/request-holder.js';

const reported = (name: string, facts: JsonObject, atMs = T0, generator = 'lshw') => deviceEvent(name, { type: 'DeviceFactsReported', data: { generator, format: 'application/json', facts, atMs } });

describe('device read model: tags, labels and racks', () => {
  const selectors = { tags: ['compute'], labels: { role: 'compute' }, rack: 'rack-1', rackLabels: { room: 'lab-1' } };

  it('shows them on the device view, and follows inventory updates', () => {
    const lab = given([...readyDevice('d', selectors)]);
    const view = () => lab.devices.get('d');
    assert.deepEqual([view()?.tags, view()?.labels, view()?.rack, view()?.rackLabels], [['compute'], { role: 'compute' }, 'rack-1', { room: 'lab-1' }]);
    lab.and([deviceEvent('d', { type: 'DeviceInventoryUpdated', data: { ...inventoryOf('d', { ...selectors, rack: 'rack-2', rackLabels: { room: 'lab-2' } }), atMs: T0 } })]);
    assert.deepEqual([view()?.rack, view()?.rackLabels, view()?.state], ['rack-2', { room: 'lab-2' }, 'ready']);
  });
});

describe('device facts read model', () => {
  it('keeps each report with the device’s holder at that moment', () => {
    const lab = given([
      ...readyDevice('d'),
      reported('d', { n: 1 }, T0 + 1),
      attached('d', 7),
      reported('d', { n: 2 }, T0 + 2, 'custom'),
      detached('d', 7),
      deviceEvent('d', { type: 'DeviceHolderAttached', data: { holder: { kind: 'vmpooler_pool', id: 'p' }, atMs: T0 } }),
      deviceEvent('d', { type: 'DeviceHolderTransferred', data: { from: { kind: 'vmpooler_pool', id: 'p' }, to: { kind: 'vmpooler_vm', id: 'vm1' }, reason: '', atMs: T0 } }),
      reported('d', { n: 3 }, T0 + 3),
    ]);
    assert.deepEqual(
      lab.facts.of('d').map(({ facts, generator, format, atMs, holder }) => ({ facts, generator, format, atMs, holder })),
      [
        { facts: { n: 1 }, generator: 'lshw', format: 'application/json', atMs: T0 + 1, holder: null },
        { facts: { n: 2 }, generator: 'custom', format: 'application/json', atMs: T0 + 2, holder: requestHolder(7) },
        { facts: { n: 3 }, generator: 'lshw', format: 'application/json', atMs: T0 + 3, holder: { kind: 'vmpooler_vm', id: 'vm1' } },
      ],
    );
    assert.deepEqual(lab.facts.latest('d')?.facts, { n: 3 });
    assert.deepEqual(
      lab.facts.of('d').map((report) => report.revision),
      [2, 4, 8],
    );
  });

  it('keeps only the newest reports', () => {
    const lab = given([registered('d'), ...Array.from({ length: MAX_FACTS_REPORTS_KEPT + 5 }, (_, i) => reported('d', { n: i }))]);
    const kept = lab.facts.of('d').map((report) => report.facts['n']);
    assert.equal(kept.length, MAX_FACTS_REPORTS_KEPT);
    assert.deepEqual([kept[0], kept.at(-1)], [5, MAX_FACTS_REPORTS_KEPT + 4]);
  });

  it('knows none of unknown devices, unreported ones and retired ones', () => {
    const lab = given([registered('quiet'), registered('gone'), reported('gone', { n: 1 }), retired('gone'), reported('never', { n: 1 })]);
    for (const name of ['quiet', 'gone', 'never']) {
      assert.deepEqual(lab.facts.of(name), [], name);
      assert.equal(lab.facts.latest(name), undefined, name);
      assert.equal(lab.facts.summary(name), undefined, name);
    }
  });

  it('sums up the newest report: cores, memory, disks and OS', () => {
    const hardware = simHardwareOf(0);
    const lab = given([registered('d'), reported('d', { os: 'old' }), reported('d', simHardwareFacts('d', '02:00:00:00:00:01', hardware, 'ubuntu'))]);
    assert.deepEqual(lab.facts.summary('d'), { cpus: hardware.cpus, memoryKb: hardware.memoryKb, diskBytes: hardware.diskBytes[0]! + hardware.diskBytes[1]!, os: 'ubuntu' });
    assert.equal(lab.facts.summary('d'), lab.facts.summary('d'), 'worked out once per report');
  });
});

describe('hardware facts summary', () => {
  it('reads lshw’s own shape: cores per processor, system memory banks, disks only', () => {
    const lshw: JsonObject = JSON.parse(
      JSON.stringify({
        id: 'host',
        class: 'system',
        children: [
          {
            id: 'core',
            class: 'bus',
            children: [
              { id: 'firmware', class: 'memory', size: 65536 },
              { id: 'cpu:0', class: 'processor', configuration: { cores: '8', enabledcores: '6' }, children: [{ id: 'cache:0', class: 'memory', size: 1048576 }] },
              { id: 'cpu:1', class: 'processor', configuration: { cores: '4' } },
              { id: 'cpu:2', class: 'processor', disabled: true },
              { id: 'memory:0', class: 'memory', size: 8 * 1024 ** 3 },
              { id: 'memory:1', class: 'memory', size: 8 * 1024 ** 3 },
              { id: 'disk', class: 'disk', size: 500_107_862_016, children: [{ id: 'volume:0', class: 'volume', size: 1_000 }] },
              { id: 'cdrom', class: 'disk' },
            ],
          },
        ],
        configuration: { os: 'debian' },
      }),
    );
    assert.deepEqual(summarizeHardwareFacts(lshw), { cpus: 10, memoryKb: 16 * 1024 * 1024, diskBytes: 500_107_862_016, os: 'debian' });
  });

  it('answers null for what a report does not tell, and takes a list of root nodes', () => {
    assert.deepEqual(summarizeHardwareFacts({ hello: 'world' }), { cpus: null, memoryKb: null, diskBytes: null, os: null });
    assert.deepEqual(summarizeHardwareFacts({ children: [[{ class: 'processor' }, { class: 'processor', configuration: { cores: 'many' } }]] }), {
      cpus: 2,
      memoryKb: null,
      diskBytes: null,
      os: null,
    });
  });
});
