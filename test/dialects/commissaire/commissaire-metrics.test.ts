import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { registerCommissaireMetrics } from '../../../src/dialects/commissaire/commissaire-metrics.js';
import type { CommissaireViews } from '../../../src/dialects/commissaire/projections/commissaire-views.js';
import { sampleValue } from '../../support/prometheus-text.js';
import { hostRegistered, viewsOf, type StreamEvents } from './commissaire-views-fixture.js';

const facts = { os: 'fedora', cpus: 2, memoryKb: 1024, spaceKb: 2048, lastCheckMs: 5 };
const clusterOf = (name: string, hosts: readonly string[]): StreamEvents => [
  'cluster',
  name,
  [{ type: 'ClusterCreated', data: { name, network: 'default', containerManager: 'cm', atMs: 1 } }, ...hosts.map((address) => ({ type: 'ClusterHostAdded' as const, data: { address, atMs: 2 } }))],
];
const activeHost = (address: string): StreamEvents => [
  'host',
  address,
  [hostRegistered(address, `dev-${address}`, null, 1), { type: 'HostInvestigated', data: { facts, atMs: 2 } }, { type: 'HostBootstrapped', data: { to: 'active', atMs: 3 } }],
];

/** Hosts: 2 active, 1 failed, 1 investigating; clusters: `up` ok, `half` degraded, `down` failed, `none` ok; a restart and a deploy in process, an upgrade finished. */
const LAB: readonly StreamEvents[] = [
  activeHost('h1'),
  activeHost('h2'),
  ['host', 'h3', [hostRegistered('h3', 'dev-h3', null, 1), { type: 'HostInvestigationFailed', data: { reason: 'no answer', atMs: 2 } }]],
  ['host', 'h4', [hostRegistered('h4', 'dev-h4', null, 1)]],
  clusterOf('up', ['h1']),
  clusterOf('half', ['h2', 'h3']),
  clusterOf('down', ['h3', 'h4']),
  clusterOf('none', []),
  ['operation', 'restart-up', [{ type: 'ClusterOperationStarted', data: { cluster: 'up', kind: 'restart', version: null, hosts: ['h1'], atMs: 10 } }]],
  ['operation', 'deploy-half', [{ type: 'ClusterOperationStarted', data: { cluster: 'half', kind: 'deploy', version: 'ubuntu', hosts: ['h2', 'h3'], atMs: 10 } }]],
  [
    'operation',
    'upgrade-up',
    [
      { type: 'ClusterOperationStarted', data: { cluster: 'up', kind: 'upgrade', version: null, hosts: [], atMs: 10 } },
      { type: 'ClusterOperationFinished', data: { atMs: 10 } },
    ],
  ],
];

function registryOver(views: () => CommissaireViews) {
  const registry = new Registry();
  const metrics = registerCommissaireMetrics(registry, views);
  return { registry, metrics };
}

describe('registerCommissaireMetrics', () => {
  it('counts hosts, clusters and operations in process from the views at scrape time', async () => {
    const { registry } = registryOver(() => viewsOf(LAB));
    const text = await registry.metrics();
    const hosts = (status: string) => sampleValue(text, 'labpool_commissaire_hosts', { status });
    assert.deepEqual(['investigating', 'bootstrapping', 'active', 'disassociated', 'failed'].map(hosts), [1, 0, 2, 0, 1]);
    const clusters = (status: string) => sampleValue(text, 'labpool_commissaire_clusters', { status });
    assert.deepEqual(['ok', 'degraded', 'failed'].map(clusters), [2, 1, 1]);
    const inProcess = (kind: string) => sampleValue(text, 'labpool_commissaire_operations_in_process', { kind });
    assert.deepEqual(['deploy', 'upgrade', 'restart'].map(inProcess), [1, 0, 1]);
  });

  it('reads the views afresh at each scrape: a status that empties reads 0', async () => {
    let views = viewsOf(LAB);
    const { registry } = registryOver(() => views);
    assert.equal(sampleValue(await registry.metrics(), 'labpool_commissaire_hosts', { status: 'failed' }), 1);
    views = viewsOf([activeHost('h1')]);
    const text = await registry.metrics();
    assert.equal(sampleValue(text, 'labpool_commissaire_hosts', { status: 'failed' }), 0);
    assert.equal(sampleValue(text, 'labpool_commissaire_hosts', { status: 'active' }), 1);
    assert.equal(sampleValue(text, 'labpool_commissaire_clusters', { status: 'ok' }), 0);
    assert.equal(sampleValue(text, 'labpool_commissaire_operations_in_process', { kind: 'restart' }), 0);
  });

  it('counts and times the operations that ended, by kind and status', async () => {
    const { registry, metrics } = registryOver(() => viewsOf([]));
    metrics.operationEnded('deploy', 'finished', 90_000);
    metrics.operationEnded('deploy', 'finished', 30_000);
    metrics.operationEnded('restart', 'failed', 5_000);
    const text = await registry.metrics();
    assert.equal(sampleValue(text, 'labpool_commissaire_operations_ended_total', { kind: 'deploy', status: 'finished' }), 2);
    assert.equal(sampleValue(text, 'labpool_commissaire_operations_ended_total', { kind: 'restart', status: 'failed' }), 1);
    assert.equal(sampleValue(text, 'labpool_commissaire_operations_ended_total', { kind: 'upgrade', status: 'finished' }), undefined);
    assert.equal(sampleValue(text, 'labpool_commissaire_operation_seconds_sum', { kind: 'deploy', status: 'finished' }), 120);
    assert.equal(sampleValue(text, 'labpool_commissaire_operation_seconds_count', { kind: 'deploy', status: 'finished' }), 2);
    assert.equal(sampleValue(text, 'labpool_commissaire_operation_seconds_bucket', { kind: 'deploy', status: 'finished', le: '60' }), 1);
    assert.equal(sampleValue(text, 'labpool_commissaire_operation_seconds_bucket', { kind: 'deploy', status: 'finished', le: '120' }), 2);
    assert.equal(sampleValue(text, 'labpool_commissaire_operation_seconds_bucket', { kind: 'restart', status: 'failed', le: '10' }), 1);
  });

  it('coexists with another server’s registry in one process', async () => {
    const first = registryOver(() => viewsOf(LAB));
    const second = registryOver(() => viewsOf([]));
    first.metrics.operationEnded('upgrade', 'finished', 1_000);
    assert.equal(sampleValue(await second.registry.metrics(), 'labpool_commissaire_operations_ended_total', { kind: 'upgrade', status: 'finished' }), undefined);
    assert.equal(sampleValue(await first.registry.metrics(), 'labpool_commissaire_operations_ended_total', { kind: 'upgrade', status: 'finished' }), 1);
  });
});
