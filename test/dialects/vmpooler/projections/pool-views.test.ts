import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { poolHolder, RETURN_REASONS, vmHolder } from '../../../../src/dialects/vmpooler/domain/vm-holder.js';
import { createPoolViews } from '../../../../src/dialects/vmpooler/projections/pool-views.js';
import type { Json, RecordedEvent } from '../../../../src/store/port.js';

const T0 = Date.UTC(2030, 0, 1);

/** Folds events, as a store would record them, into fresh pool views; records which pools it said moved. */
function given(...events: readonly { stream: string; type: string; data: Json }[]) {
  const changed: string[] = [];
  const views = createPoolViews((pool) => changed.push(pool));
  let position = 0n;
  const feed = (more: readonly { stream: string; type: string; data: Json }[]) => {
    for (const event of more) {
      position++;
      views.apply({ ...event, id: `e${position}`, revision: 0, position, metadata: {}, createdAtMs: T0 } satisfies RecordedEvent);
    }
  };
  feed(events);
  return { views, changed, feed };
}

const device = (name: string, type: string, data: Json) => ({ stream: `device-${name}`, type, data });
const attached = (name: string, pool: string) => device(name, 'DeviceHolderAttached', { holder: poolHolder(pool), atMs: T0 });
const imaging = (name: string, image: string) => device(name, 'DeviceImagingRequested', { image, bootConfig: '{}', pxeConfig: 'x', atMs: T0 });
const entered = (name: string, to: string, atMs = T0) => device(name, 'DeviceStateEntered', { from: 'x', to, reason: '', atMs, timeoutAtMs: null, counter: 1, seq: 1 });
const transferred = (name: string, from: Json, to: Json, reason: string) => device(name, 'DeviceHolderTransferred', { from, to, reason, atMs: T0 });

describe('pool views', () => {
  it('follows a device from taken to imaging to ready, with the image it got', () => {
    const { views, changed } = given(attached('d1', 'p'), imaging('d1', 'ubuntu'), entered('d1', 'pxe_booting'), entered('d1', 'ready', T0 + 5));
    assert.deepEqual(views.queues('p').members.get('d1'), { device: 'd1', phase: 'ready', sinceMs: T0 + 5, image: 'ubuntu' });
    assert.deepEqual([...views.queues('p').ready], ['d1']);
    assert.ok(changed.every((pool) => pool === 'p') && changed.length >= 3);
  });

  it('moves a checked-out device to running and back as completed (used) or ready (checkout undone)', () => {
    const lab = given(attached('d1', 'p'), imaging('d1', 'ubuntu'), entered('d1', 'ready'), attached('d2', 'p'), imaging('d2', 'ubuntu'), entered('d2', 'ready'));
    lab.feed([transferred('d1', poolHolder('p'), vmHolder('vm1'), 'checkout'), transferred('d2', poolHolder('p'), vmHolder('vm2'), 'checkout')]);
    assert.deepEqual(
      [...lab.views.queues('p').running],
      [
        ['d1', 'vm1'],
        ['d2', 'vm2'],
      ],
    );
    assert.equal(lab.views.queues('p').ready.length, 0);
    lab.feed([transferred('d1', vmHolder('vm1'), poolHolder('p'), RETURN_REASONS.deleted), transferred('d2', vmHolder('vm2'), poolHolder('p'), RETURN_REASONS.undone)]);
    assert.equal(lab.views.queues('p').members.get('d1')?.phase, 'completed');
    assert.equal(lab.views.queues('p').members.get('d2')?.phase, 'ready');
    assert.equal(lab.views.queues('p').members.get('d2')?.image, 'ubuntu', 'an undone checkout keeps its image');
    assert.equal(lab.views.queues('p').running.size, 0);
  });

  it('marks a failed imaging, and a device that left ready is imaged again before a checkout', () => {
    const lab = given(attached('d1', 'p'), imaging('d1', 'ubuntu'), entered('d1', 'failed_pxe_booting'));
    assert.equal(lab.views.queues('p').members.get('d1')?.phase, 'failed');
    lab.feed([attached('d2', 'p'), imaging('d2', 'ubuntu'), entered('d2', 'ready'), entered('d2', 'pc_power_cycling')]);
    assert.equal(lab.views.queues('p').members.get('d2')?.phase, 'completed');
    assert.deepEqual([...lab.views.queues('p').ready], []);
  });

  it('takes a failed device handed back as failed, so the pool lets it go', () => {
    const lab = given(attached('d1', 'p'), imaging('d1', 'ubuntu'), entered('d1', 'ready'), transferred('d1', poolHolder('p'), vmHolder('v'), 'checkout'), entered('d1', 'failed_verifying'));
    lab.feed([transferred('d1', vmHolder('v'), poolHolder('p'), RETURN_REASONS.expired)]);
    assert.equal(lab.views.queues('p').members.get('d1')?.phase, 'failed');
  });

  it('forgets a released or retired device, and knows open VMs by device and by token', () => {
    const lab = given(attached('d1', 'p'), device('d1', 'DeviceHolderDetached', { holder: poolHolder('p'), reason: 'r', atMs: T0 }));
    assert.equal(lab.views.queues('p').members.size, 0);
    assert.equal(lab.views.poolOf('d1'), undefined);
    lab.feed([
      attached('d2', 'p'),
      imaging('d2', 'ubuntu'),
      entered('d2', 'ready'),
      transferred('d2', poolHolder('p'), vmHolder('v2'), 'checkout'),
      { stream: 'vm-v2', type: 'VmCheckedOut', data: { id: 'v2', pool: 'p', device: 'd2', user: 'jdoe', tokenHash: 'h', lifetimeH: 2, atMs: T0 } },
    ]);
    assert.equal(lab.views.vmOnDevice('d2')?.user, 'jdoe');
    assert.deepEqual([...lab.views.vmsOfToken('h')], ['v2']);
    lab.feed([{ stream: 'vm-v2', type: 'VmDeleted', data: { reason: 'deleted', atMs: T0 } }]);
    assert.equal(lab.views.vm('v2'), undefined);
    assert.deepEqual([...lab.views.vmsOfToken('h')], []);
    lab.feed([device('d2', 'DeviceRetired', { atMs: T0 })]);
    assert.equal(lab.views.poolOf('d2'), undefined);
  });
});

describe('pool views of one server, across a handover', () => {
  const [A, B] = ['lab-a:8010', 'lab-b:8010'];
  const registered = (name: string, server: string) => device(name, 'DeviceRegistered', { name, imagingServer: server, atMs: T0 });
  const handedOver = (name: string, from: string, to: string) => device(name, 'DeviceHandedOver', { from, to, atMs: T0 + 10 });
  function viewsOf(serverId: string, ...events: readonly { stream: string; type: string; data: Json }[]) {
    const views = createPoolViews(() => undefined, serverId);
    events.forEach((event, i) => views.apply({ ...event, id: `e${i}`, revision: 0, position: BigInt(i + 1), metadata: {}, createdAtMs: T0 } satisfies RecordedEvent));
    return views;
  }
  const history = [registered('d1', B), attached('d1', 'p'), imaging('d1', 'ubuntu'), entered('d1', 'ready'), handedOver('d1', B, A)];

  it('the old owner forgets the device it held in a pool', () => {
    assert.equal(
      viewsOf(B, ...history.slice(0, -1))
        .queues('p')
        .members.has('d1'),
      true,
    );
    assert.equal(
      viewsOf(B, ...history)
        .queues('p')
        .members.has('d1'),
      false,
    );
  });

  it('the new owner queues it from its next holder change (its recovery frees it)', () => {
    const released = device('d1', 'DeviceHolderDetached', { holder: poolHolder('p'), reason: 'handed over', atMs: T0 + 20 });
    assert.equal(
      viewsOf(A, ...history)
        .queues('p')
        .members.has('d1'),
      false,
    );
    const views = viewsOf(A, ...history, released, attached('d1', 'p'), imaging('d1', 'ubuntu'), entered('d1', 'ready', T0 + 30));
    assert.deepEqual(views.queues('p').members.get('d1'), { device: 'd1', phase: 'ready', sinceMs: T0 + 30, image: 'ubuntu' });
  });
});
