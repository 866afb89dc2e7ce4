import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSummaryViews } from '../../../../src/dialects/vmpooler/projections/summary-views.js';
import type { Json, RecordedEvent } from '../../../../src/store/port.js';

const DAY1 = Date.UTC(2030, 0, 1, 10);
const DAY2 = Date.UTC(2030, 0, 2, 10);

let position = 0n;
function recorded(stream: string, type: string, data: Record<string, Json>): RecordedEvent {
  position += 1n;
  return { id: String(position), stream, revision: 0, position, type, data, metadata: {}, createdAtMs: 0 };
}

const pool = { kind: 'vmpooler_pool', id: 'ubuntu' };
const attached = (device: string, atMs: number) => recorded(`device-${device}`, 'DeviceHolderAttached', { holder: pool, atMs });
const imaging = (device: string, atMs: number) => recorded(`device-${device}`, 'DeviceImagingRequested', { image: 'ubuntu', bootConfig: '{}', pxeConfig: 'x', atMs });
const entered = (device: string, to: string, atMs: number) =>
  recorded(`device-${device}`, 'DeviceStateEntered', { from: 'pxe_booting', to, trigger: 'event', reason: '', atMs, timeoutAtMs: null, counter: 0 });

describe('vmpooler summary projection', () => {
  it('times a pool device’s clone (imaging asked → verifying) and boot (verifying → ready) per day', () => {
    const views = createSummaryViews();
    for (const event of [
      attached('a', DAY1),
      imaging('a', DAY1),
      entered('a', 'pxe_booting', DAY1 + 1_000),
      entered('a', 'verifying', DAY1 + 10_000),
      entered('a', 'ready', DAY1 + 14_000),
      attached('b', DAY1),
      imaging('b', DAY1),
      entered('b', 'verifying', DAY1 + 20_000),
    ]) {
      views.apply(event);
    }
    assert.equal(views.stage('b'), 'boot');
    assert.equal(views.stage('a'), undefined);
    views.apply(entered('b', 'ready', DAY1 + 30_000));
    const day = views.day('2030-01-01');
    assert.deepEqual(day.clone, { count: 2, total: 30, min: 10, max: 20 });
    assert.deepEqual(day.boot, { count: 2, total: 14, min: 4, max: 10 });
    assert.equal(views.lastReadyMs('ubuntu'), DAY1 + 30_000);
    assert.deepEqual(views.day('2030-01-02').clone, { count: 0, total: 0, min: 0, max: 0 });
  });

  it('ignores imaging of devices no pool holds, and a failed imaging', () => {
    const views = createSummaryViews();
    views.apply(imaging('lease', DAY1));
    views.apply(entered('lease', 'ready', DAY1 + 5_000));
    views.apply(attached('c', DAY1));
    views.apply(imaging('c', DAY1));
    views.apply(entered('c', 'failed_pxe_booting', DAY1 + 5_000));
    views.apply(entered('c', 'ready', DAY1 + 6_000));
    assert.equal(views.day('2030-01-01').clone.count, 0);
    assert.equal(views.stage('c'), undefined);
  });

  it('counts tags and checkout users per day of the event', () => {
    const views = createSummaryViews();
    views.apply(recorded('vm-x', 'VmCheckedOut', { id: 'x', pool: 'ubuntu', device: 'a', user: 'alice', tokenHash: 'h', lifetimeH: 24, atMs: DAY1 }));
    views.apply(recorded('vm-y', 'VmCheckedOut', { id: 'y', pool: 'ubuntu', device: 'b', user: null, tokenHash: null, lifetimeH: 24, atMs: DAY1 }));
    views.apply(recorded('vm-x', 'VmTagged', { tags: { department: 'qa', project: 'p1' }, atMs: DAY1 }));
    views.apply(recorded('vm-y', 'VmTagged', { tags: { department: 'qa' }, atMs: DAY2 }));
    assert.deepEqual(Object.fromEntries([...views.day('2030-01-01').tags].map(([name, values]) => [name, Object.fromEntries(values)])), {
      user: { alice: 1 },
      department: { qa: 1 },
      project: { p1: 1 },
    });
    assert.deepEqual([...views.day('2030-01-02').tags.get('department')!], [['qa', 1]]);
  });
});
