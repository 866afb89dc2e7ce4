import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Router } from '@koa/router';
import { bootactionBodySchemas, bootactionRouteDocs, registerBootactionRoutes } from '../../../src/dialects/drydock/http/bootaction-routes.js';
import type { BootactionEvent } from '../../../src/dialects/drydock/domain/bootaction-events.js';
import { createBootactionViews } from '../../../src/dialects/drydock/projections/bootaction-views.js';
import { listRegisteredRoutes } from '../../../src/http/openapi/router-routes.js';
import type { Json, RecordedEvent } from '../../../src/store/port.js';

const T0 = Date.UTC(2030, 0, 1);
let position = 0n;
function recorded(actionId: string, event: BootactionEvent | { type: string; data: Json }): RecordedEvent {
  position += 1n;
  return { id: String(position), stream: `bootaction-${actionId}`, revision: 0, position, type: event.type, data: event.data, metadata: {}, createdAtMs: 0 };
}

const unit = { path: '/etc/systemd/system/a.service', type: 'unit', permissions: 0o644, data: 'u' } as const;
const file = { path: '/etc/a', type: 'file', permissions: 0o600, data: 'f' } as const;
function issued(actionId: string, node: string, key: string, taskId: string, signaling = true): RecordedEvent {
  const data = {
    actionId,
    actionName: `name-${actionId}`,
    node,
    taskId,
    key,
    signaling,
    status: signaling ? 'pending' : 'unreported',
    assets: [unit, file],
    reportUrl: 'http://l/api/v1.0/bootaction',
    atMs: T0,
  } as const;
  return recorded(actionId, { type: 'BootactionIssued', data });
}

describe('bootaction views', () => {
  it('groups a node’s actions by deploy (its key) and keeps only the latest deploy’s assets', () => {
    const views = createBootactionViews();
    for (const event of [issued('A1', 'n1', 'k1', 't1'), issued('A2', 'n1', 'k1', 't1', false), issued('B1', 'n2', 'k2', 't1')]) views.apply(event);
    const first = views.latestDeploy('n1')!;
    assert.deepEqual(
      [first.key, first.taskId, first.issuedAtMs, first.actions.map((action) => [action.actionId, action.status]), first.units.length, first.files.length],
      [
        'k1',
        't1',
        T0,
        [
          ['A1', 'pending'],
          ['A2', 'unreported'],
        ],
        2,
        2,
      ],
    );
    views.apply(issued('C1', 'n1', 'k3', 't2'));
    const latest = views.latestDeploy('n1')!;
    assert.deepEqual([latest.key, latest.taskId, latest.actions.map((action) => action.actionId), latest.units, latest.files], ['k3', 't2', ['C1'], [unit], [file]]);
    assert.equal(views.action('A1')?.key, 'k1', 'an old deploy’s action is still known by id');
    assert.equal(views.latestDeploy('n2')?.key, 'k2');
    assert.equal(views.latestDeploy('n3'), undefined);
  });

  it('shows a final report’s status; details and unknown event types change nothing', () => {
    const views = createBootactionViews();
    views.apply(issued('A1', 'n1', 'k1', 't1'));
    views.apply(recorded('A1', { type: 'BootactionDetailsAdded', data: { details: [{ message: 'm', error: false, extra: {} }], atMs: T0 } }));
    views.apply(recorded('A1', { type: 'BootactionSomethingNew', data: {} }));
    assert.equal(views.action('A1')?.status, 'pending');
    views.apply(recorded('A1', { type: 'BootactionReported', data: { status: 'failure', details: [], atMs: T0 } }));
    assert.equal(views.action('A1')?.status, 'failure');
    assert.equal(views.latestDeploy('n1')?.actions[0]?.status, 'failure');
  });

  it('documents every route it registers and the report body', () => {
    const router = new Router();
    registerBootactionRoutes(router, { views: createBootactionViews(), kind: undefined as never, read: (_ctx, next) => next() });
    const routes = listRegisteredRoutes(router).map((route) => `${route.method} ${route.path}`);
    assert.equal(routes.length, 7);
    assert.deepEqual(
      routes.filter((route) => bootactionRouteDocs[route] === undefined),
      [],
    );
    assert.deepEqual(Object.keys(bootactionRouteDocs).sort(), [...routes].sort());
    assert.ok(Object.keys(bootactionBodySchemas).every((key) => routes.includes(key)));
  });
});
