import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RequestStateName } from '../../../../src/dialects/mozpool/domain/request-events.js';
import { given } from '../../../projections/lab/given-events.js';
import { T0, entered, readyDevice, requestEvent, requestOpened } from '../../../projections/lab/lab-events.js';

const stateEntered = (id: number, from: RequestStateName, to: RequestStateName) =>
  requestEvent(id, { type: 'RequestStateEntered', data: { from, to, reason: '', atMs: T0, timeoutAtMs: null, counter: 1 } });
const assigned = (id: number, device: string) => requestEvent(id, { type: 'RequestDeviceAssigned', data: { device, atMs: T0 } });
const closed = (id: number) => requestEvent(id, { type: 'RequestClosed', data: { reason: 'returned', atMs: T0 } });

describe('request read model: views', () => {
  it('opens a request in state new with no device', () => {
    const lab = given([requestOpened(1, { requestedDevice: 'panda-0001', environment: 'prod' })]);
    assert.deepEqual(lab.requests.get(1), {
      id: 1,
      imaging_server: 'lab1:8010',
      assignee: 'alice@example.com',
      boot_config: '{"b2gbase":"http://builds/1"}',
      state: 'new',
      expires: '2024-06-01T13:00:00.000Z',
      requested_device: 'panda-0001',
      environment: 'prod',
      image: 'android',
      assigned_device: '',
      device_state: '',
      closed: false,
    });
    assert.equal(lab.requests.get(2), undefined);
  });

  it('follows state, assignment, renewal and release', () => {
    const lab = given([requestOpened(1), stateEntered(1, 'new', 'finding_device'), assigned(1, 'panda-0001')]);
    assert.deepEqual([lab.requests.get(1)?.state, lab.requests.get(1)?.assigned_device], ['finding_device', 'panda-0001']);
    lab.and([requestEvent(1, { type: 'LeaseRenewed', data: { expiresAtMs: T0 + 7_200_000, atMs: T0 } })]);
    assert.equal(lab.requests.get(1)?.expires, '2024-06-01T14:00:00.000Z');
    lab.and([requestEvent(1, { type: 'RequestDeviceReleased', data: { device: 'panda-0001', reason: 'failed-bad-device', atMs: T0 } })]);
    assert.equal(lab.requests.get(1)?.assigned_device, '');
  });

  it('closes a request', () => {
    const lab = given([requestOpened(1), stateEntered(1, 'new', 'ready'), closed(1)]);
    assert.equal(lab.requests.get(1)?.state, 'closed');
    assert.equal(lab.requests.get(1)?.closed, true);
  });

  it('joins the assigned device state at read time', () => {
    const lab = given([...readyDevice('panda-0001'), requestOpened(1), assigned(1, 'panda-0001')]);
    assert.equal(lab.requests.get(1)?.device_state, 'ready');
    lab.and([entered('panda-0001', 'ready', 'pxe_power_cycling')]);
    assert.equal(lab.requests.get(1)?.device_state, 'pxe_power_cycling');
    assert.equal(lab.requests.list(false)[0]?.device_state, 'pxe_power_cycling');
  });

  it('reports no device state for an unknown assigned device', () => {
    const lab = given([requestOpened(1), assigned(1, 'nowhere')]);
    assert.equal(lab.requests.get(1)?.device_state, '');
  });

  it('lists requests sorted by id, closed ones only when asked', () => {
    const lab = given([requestOpened(10), requestOpened(2), requestOpened(7), closed(7)]);
    assert.deepEqual(
      lab.requests.list(false).map((r) => r.id),
      [2, 10],
    );
    assert.deepEqual(
      lab.requests.list(true).map((r) => r.id),
      [2, 7, 10],
    );
    lab.and([requestOpened(3)]);
    assert.deepEqual(
      lab.requests.list(true).map((r) => r.id),
      [2, 3, 7, 10],
    );
  });

  it('knows the highest id seen, 0 when none', () => {
    assert.equal(given([]).requests.maxId(), 0);
    assert.equal(given([requestOpened(4), requestOpened(2)]).requests.maxId(), 4);
  });

  it('ignores events that only log and events of unknown requests', () => {
    const lab = given([requestOpened(1)]);
    const before = lab.requests.get(1);
    lab.and([
      requestEvent(1, { type: 'RequestImagingResultReceived', data: { device: 'd', result: 'complete', atMs: T0 } }),
      requestEvent(1, { type: 'RequestEventReported', data: { event: 'x', state: 'new', ignored: true, atMs: T0 } }),
      requestEvent(1, { type: 'RequestLogged', data: { message: 'note', atMs: T0 } }),
      { stream: 'request-1', type: 'FromTheFuture', data: {} },
      assigned(99, 'd'),
    ]);
    assert.deepEqual(lab.requests.get(1), before);
    assert.equal(lab.requests.get(99), undefined);
  });
});

describe('request read model: log', () => {
  it('describes every request event, oldest first', () => {
    const lab = given([
      requestOpened(1),
      stateEntered(1, 'new', 'finding_device'),
      assigned(1, 'panda-0001'),
      requestEvent(1, { type: 'RequestImagingResultReceived', data: { device: 'panda-0001', result: 'complete', atMs: T0 } }),
      requestEvent(1, { type: 'LeaseRenewed', data: { expiresAtMs: T0 + 7_200_000, atMs: T0 } }),
      requestEvent(1, { type: 'RequestEventReported', data: { event: 'lifeguard_timeout', state: 'ready', ignored: true, atMs: T0 } }),
      requestEvent(1, { type: 'RequestLogged', data: { message: 'hand note', atMs: T0 } }),
      requestEvent(1, { type: 'RequestDeviceReleased', data: { device: 'panda-0001', reason: 'returned', atMs: T0 } }),
      closed(1),
    ]);
    assert.deepEqual(
      lab.requests.log(1).map((line) => [line.id, line.source, line.message]),
      [
        [1, 'request', 'opened by alice@example.com for any with image android in environment any, expires 2024-06-01T13:00:00.000Z'],
        [2, 'statemachine', 'entering state finding_device (from new)'],
        [3, 'request', 'assigned device panda-0001'],
        [4, 'lifeguard', 'imaging result from panda-0001: complete'],
        [5, 'request', 'renewed until 2024-06-01T14:00:00.000Z'],
        [6, 'request', 'event lifeguard_timeout in state ready (ignored)'],
        [7, 'request', 'hand note'],
        [8, 'request', 'released device panda-0001: returned'],
        [9, 'request', 'closed: returned'],
      ],
    );
    assert.equal(lab.requests.log(1)[0]?.timestamp, '2024-06-01T12:00:00.000Z');
  });

  it('limits to the newest lines and keeps logs apart', () => {
    const lab = given([requestOpened(1), requestOpened(2), stateEntered(1, 'new', 'finding_device'), closed(1)]);
    // Ids are revisions in the request's own stream, plus one: request 1 has three events, request 2 one.
    assert.deepEqual(
      lab.requests.log(1, { limit: 2 }).map((l) => l.id),
      [2, 3],
    );
    assert.deepEqual(
      lab.requests.log(2).map((l) => l.id),
      [1],
    );
    assert.deepEqual(lab.requests.log(3), []);
  });
});
