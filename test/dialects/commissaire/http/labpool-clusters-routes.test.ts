import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Router } from '@koa/router';
import Koa from 'koa';
import { describeClusters, labpoolClustersRouteDocs, registerLabpoolClustersRoutes } from '../../../../src/dialects/commissaire/http/labpool-clusters-routes.js';
import type { CommissaireViews } from '../../../../src/dialects/commissaire/projections/commissaire-views.js';
import { listen, type ListeningServer } from '../../../../src/http/server.js';
import { hostRegistered, viewsOf } from '../commissaire-views-fixture.js';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
const at = (seconds: number) => T0 + seconds * 1000;
const FACTS = { os: 'fedora', cpus: 4, memoryKb: 8_000_000, spaceKb: 500_000, lastCheckMs: at(2) };

/**
 * Cluster `alpha` (container manager `prod`): an active host, a failed one and an address with no host
 * record; a deploy that failed on the second host and a restart in process. Cluster `empty`; a host in
 * no cluster; a deleted cluster and a deleted host, which must not show.
 */
function aLab(): CommissaireViews {
  return viewsOf([
    ['containermanager', 'prod', [{ type: 'CommissaireContainerManagerCreated', data: { name: 'prod', recordType: 'trivial', options: {}, atMs: at(0) } }]],
    ['cluster', 'alpha', [{ type: 'ClusterCreated', data: { name: 'alpha', network: 'default', containerManager: 'prod', atMs: at(0) } }]],
    ['cluster', 'empty', [{ type: 'ClusterCreated', data: { name: 'empty', network: 'flat', containerManager: null, atMs: at(0) } }]],
    [
      'cluster',
      'gone',
      [
        { type: 'ClusterCreated', data: { name: 'gone', network: 'default', containerManager: null, atMs: at(0) } },
        { type: 'ClusterDeleted', data: { hosts: [], atMs: at(1) } },
      ],
    ],
    [
      'host',
      '10.0.0.1',
      [hostRegistered('10.0.0.1', 'sim-0001', 'alpha', at(1)), { type: 'HostInvestigated', data: { facts: FACTS, atMs: at(3) } }, { type: 'HostBootstrapped', data: { to: 'active', atMs: at(4) } }],
    ],
    ['host', '10.0.0.2', [hostRegistered('10.0.0.2', 'sim-0002', 'alpha', at(1)), { type: 'HostInvestigationFailed', data: { reason: 'self-test failed', atMs: at(5) } }]],
    ['host', '10.0.0.3', [hostRegistered('10.0.0.3', 'sim-0003', null, at(6))]],
    ['host', '10.0.0.4', [hostRegistered('10.0.0.4', 'sim-0004', null, at(6)), { type: 'HostDeleted', data: { atMs: at(7) } }]],
    [
      'cluster',
      'alpha',
      [
        { type: 'ClusterHostAdded', data: { address: '10.0.0.1', atMs: at(1) } },
        { type: 'ClusterHostAdded', data: { address: '10.0.0.2', atMs: at(1) } },
        { type: 'ClusterHostAdded', data: { address: '10.0.0.9', atMs: at(1) } },
      ],
    ],
    [
      'operation',
      'deploy-alpha',
      [
        { type: 'ClusterOperationStarted', data: { cluster: 'alpha', kind: 'deploy', version: 'ubuntu', hosts: ['10.0.0.1', '10.0.0.2'], atMs: at(10) } },
        { type: 'ClusterOperationHostStarted', data: { host: '10.0.0.1', atMs: at(10) } },
        { type: 'ClusterOperationHostDone', data: { host: '10.0.0.1', atMs: at(20) } },
        { type: 'ClusterOperationHostStarted', data: { host: '10.0.0.2', atMs: at(20) } },
        { type: 'ClusterOperationHostFailed', data: { host: '10.0.0.2', reason: 'imaging failed', atMs: at(30) } },
      ],
    ],
    [
      'operation',
      'restart-alpha',
      [
        { type: 'ClusterOperationStarted', data: { cluster: 'alpha', kind: 'restart', version: null, hosts: ['10.0.0.1', '10.0.0.2'], atMs: at(40) } },
        { type: 'ClusterOperationHostStarted', data: { host: '10.0.0.1', atMs: at(40) } },
      ],
    ],
  ]);
}

const commissaireTime = (ms: number) => new Date(ms).toISOString().replace('Z', '000');

describe('describeClusters: the dashboard’s picture of Commissaire', () => {
  it('answers no cluster and no host on an empty lab', async () => {
    assert.deepEqual(describeClusters(viewsOf([])), { clusters: [], unclustered: [] });
  });

  it('lists each cluster with its computed status, members and latest operations, then hosts in no cluster', async () => {
    const answer = describeClusters(aLab());
    assert.deepEqual(
      answer.clusters.map((cluster) => cluster.name),
      ['alpha', 'empty'],
    );
    const [alpha, empty] = answer.clusters;
    assert.deepEqual(empty, {
      name: 'empty',
      status: 'ok',
      network: 'flat',
      container_manager: '',
      hosts: { total: 0, available: 0, unavailable: 0 },
      members: [],
      operations: { deploy: null, upgrade: null, restart: null },
    });
    assert.deepEqual(
      { ...alpha, members: undefined, operations: undefined },
      {
        name: 'alpha',
        status: 'degraded',
        network: 'default',
        container_manager: 'prod',
        hosts: { total: 3, available: 1, unavailable: 2 },
        members: undefined,
        operations: undefined,
      },
    );
    assert.deepEqual(alpha?.members, [
      {
        address: '10.0.0.1',
        status: 'active',
        device: 'sim-0001',
        facts: { os: 'fedora', cpus: 4, memory: 8_000_000, space: 500_000, last_check: commissaireTime(at(2)) },
        reason: null,
        updated: new Date(at(4)).toISOString(),
      },
      { address: '10.0.0.2', status: 'failed', device: 'sim-0002', facts: null, reason: 'self-test failed', updated: new Date(at(5)).toISOString() },
      { address: '10.0.0.9', status: null, device: null, facts: null, reason: null, updated: null },
    ]);
    assert.deepEqual(alpha?.operations, {
      deploy: {
        kind: 'deploy',
        name: 'alpha',
        status: 'failed',
        version: 'ubuntu',
        started_at: commissaireTime(at(10)),
        finished_at: commissaireTime(at(30)),
        in_process: [],
        deployed: ['10.0.0.1'],
        hosts: ['10.0.0.1', '10.0.0.2'],
        failure: { host: '10.0.0.2', reason: 'imaging failed' },
      },
      upgrade: null,
      restart: {
        kind: 'restart',
        name: 'alpha',
        status: 'in_process',
        started_at: commissaireTime(at(40)),
        finished_at: '',
        in_process: ['10.0.0.1'],
        restarted: [],
        hosts: ['10.0.0.1', '10.0.0.2'],
        failure: null,
      },
    });
    assert.deepEqual(answer.unclustered, [{ address: '10.0.0.3', status: 'investigating', device: 'sim-0003', facts: null, reason: null, updated: new Date(at(6)).toISOString() }]);
  });

  it('never shows a host’s credentials', async () => {
    const text = JSON.stringify(describeClusters(aLab()));
    assert.doesNotMatch(text, /sealed|fingerprint|ssh_priv_key|creds/i);
  });
});

describe('GET /labpool/clusters/', () => {
  let server: ListeningServer;
  let views: CommissaireViews;
  before(async () => {
    views = aLab();
    const app = new Koa();
    const router = new Router();
    registerLabpoolClustersRoutes(router, () => views);
    app.use(router.routes()).use(router.allowedMethods());
    server = await listen(app, '127.0.0.1', 0);
  });
  after(async () => {
    await server?.close();
  });

  it('answers the picture as JSON without credentials, with or without the trailing slash', async () => {
    for (const path of ['/labpool/clusters/', '/labpool/clusters']) {
      const reply = await fetch(`${server.url}${path}`);
      assert.equal(reply.status, 200, path);
      assert.match(reply.headers.get('content-type') ?? '', /^application\/json/);
      assert.deepEqual(await reply.json(), JSON.parse(JSON.stringify(describeClusters(views))));
    }
  });

  it('reads the views per request', async () => {
    views = viewsOf([['cluster', 'later', [{ type: 'ClusterCreated', data: { name: 'later', network: 'default', containerManager: null, atMs: at(0) } }]]]);
    const body = (await (await fetch(`${server.url}/labpool/clusters/`)).json()) as { clusters: { name: string }[] };
    assert.deepEqual(
      body.clusters.map((cluster) => cluster.name),
      ['later'],
    );
  });

  it('is documented for OpenAPI under its path', () => {
    assert.deepEqual(Object.keys(labpoolClustersRouteDocs), ['GET /labpool/clusters/']);
    assert.match(labpoolClustersRouteDocs['GET /labpool/clusters/']?.responses['200'] ?? '', /unclustered/);
  });
});
