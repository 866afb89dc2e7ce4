import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterEvent } from '../../../../src/dialects/commissaire/domain/cluster-decider.js';
import type { ConfigRecordEvent } from '../../../../src/dialects/commissaire/domain/config-record-decider.js';
import type { HostEvent } from '../../../../src/dialects/commissaire/domain/host-decider.js';
import type { OperationEvent } from '../../../../src/dialects/commissaire/domain/operation-decider.js';
import { createCommissaireViews, operationId } from '../../../../src/dialects/commissaire/projections/commissaire-views.js';
import type { Json, RecordedEvent } from '../../../../src/store/port.js';

const T0 = Date.UTC(2030, 0, 1);
const FACTS = { os: 'fedora', cpus: 4, memoryKb: 8_000_000, spaceKb: 100_000_000, lastCheckMs: T0 + 5 } as const;

/** Events as the store records them, one stream revision after another. */
function recorder() {
  let position = 0n;
  const revisions = new Map<string, number>();
  return (stream: string, event: HostEvent | ClusterEvent | ConfigRecordEvent | OperationEvent | { type: string; data: Json }): RecordedEvent => {
    position += 1n;
    const revision = revisions.get(stream) ?? 0;
    revisions.set(stream, revision + 1);
    return { id: String(position), stream, revision, position, type: event.type, data: event.data, metadata: {}, createdAtMs: T0 };
  };
}

/** `given(events).then(readModel)`: the views after folding `events` in order. */
function given(build: (record: ReturnType<typeof recorder>) => readonly RecordedEvent[]) {
  const views = createCommissaireViews();
  const record = recorder();
  for (const event of build(record)) views.apply(event);
  return Object.assign(views, { record });
}

const registered = (address: string, device: string, cluster: string | null = null): HostEvent => ({
  type: 'HostRegistered',
  data: { address, device, cluster, credsSealed: 'v1.sealed', keyFingerprint: 'v1.print', atMs: T0 },
});

describe('Commissaire views: hosts', () => {
  it('lists registered hosts by address and finds a host by its device', () => {
    const views = given((r) => [
      r('commhost-web2.lab', registered('web2.lab', 'sim-0002', 'web')),
      r('commhost-web1.lab', registered('web1.lab', 'sim-0001')),
      r('commhost-web2.lab', { type: 'HostInvestigated', data: { facts: FACTS, atMs: T0 + 5 } }),
      r('commhost-web2.lab', { type: 'HostBootstrapped', data: { to: 'active', atMs: T0 + 6 } }),
    ]);
    assert.deepEqual(
      views.hosts().map((host) => [host.address, host.device, host.status, host.cluster]),
      [
        ['web1.lab', 'sim-0001', 'investigating', null],
        ['web2.lab', 'sim-0002', 'active', 'web'],
      ],
    );
    assert.deepEqual(views.host('web2.lab')?.facts, FACTS);
    assert.equal(views.host('web3.lab'), undefined);
  });

  it('forgets a deleted host, and a host registered again starts afresh on its new device', () => {
    const views = given((r) => [
      r('commhost-web1.lab', registered('web1.lab', 'sim-0001', 'web')),
      r('commhost-web1.lab', { type: 'HostInvestigationFailed', data: { reason: 'device failed', atMs: T0 + 1 } }),
      r('commhost-web1.lab', { type: 'HostDeleted', data: { atMs: T0 + 2 } }),
    ]);
    assert.deepEqual([views.hosts(), views.host('web1.lab')], [[], undefined]);
    views.apply(views.record('commhost-web1.lab', registered('web1.lab', 'sim-0004')));
    const again = views.host('web1.lab');
    assert.deepEqual([again?.status, again?.device, again?.cluster, again?.failureReason], ['investigating', 'sim-0004', null, null]);
  });

  it('follows cluster assignment, and skips event types it does not know', () => {
    const views = given((r) => [
      r('commhost-a-1.lab', registered('a-1.lab', 'sim-0001')),
      r('commhost-a-1.lab', { type: 'HostClusterAssigned', data: { cluster: 'web', atMs: T0 + 1 } }),
      r('commhost-a-1.lab', { type: 'HostGrewWings', data: { atMs: T0 + 2 } }),
      r('device-sim-0001', { type: 'HostDeleted', data: { atMs: T0 + 3 } }),
    ]);
    assert.deepEqual([views.host('a-1.lab')?.cluster, views.host('a-1.lab')?.status], ['web', 'investigating']);
  });
});

describe('Commissaire views: clusters and config records', () => {
  const created = (name: string, containerManager: string | null = null): ClusterEvent => ({ type: 'ClusterCreated', data: { name, network: 'default', containerManager, atMs: T0 } });

  it('lists clusters sorted by name, with their members in order', () => {
    const views = given((r) => [
      r('commcluster-web', created('web', 'cm')),
      r('commcluster-db', created('db')),
      r('commcluster-Apps', created('Apps')),
      r('commcluster-web', { type: 'ClusterHostAdded', data: { address: 'b.lab', atMs: T0 } }),
      r('commcluster-web', { type: 'ClusterHostAdded', data: { address: 'a.lab', atMs: T0 } }),
      r('commcluster-db', { type: 'ClusterHostsReplaced', data: { hosts: ['z.lab', 'y.lab'], added: ['z.lab', 'y.lab'], removed: [], atMs: T0 } }),
      r('commcluster-web', { type: 'ClusterHostRemoved', data: { address: 'b.lab', atMs: T0 } }),
    ]);
    assert.deepEqual(
      views.clusters().map((cluster) => cluster.name),
      ['Apps', 'db', 'web'],
    );
    assert.deepEqual(views.cluster('web')?.hosts, ['a.lab']);
    assert.equal(views.cluster('web')?.containerManager, 'cm');
    assert.deepEqual(views.cluster('db')?.hosts, ['z.lab', 'y.lab']);
  });

  it('forgets a deleted cluster; created again it has no members', () => {
    const views = given((r) => [
      r('commcluster-web', created('web', 'cm')),
      r('commcluster-web', { type: 'ClusterHostAdded', data: { address: 'a.lab', atMs: T0 } }),
      r('commcluster-web', { type: 'ClusterDeleted', data: { hosts: ['a.lab'], atMs: T0 } }),
    ]);
    assert.deepEqual([views.cluster('web'), views.clusters()], [undefined, []]);
    views.apply(views.record('commcluster-web', created('web')));
    assert.deepEqual([views.cluster('web')?.hosts, views.cluster('web')?.containerManager], [[], null]);
  });

  it('keeps networks and container managers apart, each sorted by name', () => {
    const network = (name: string, recordType: string): ConfigRecordEvent => ({ type: 'CommissaireNetworkCreated', data: { name, recordType, options: { etcd: name }, atMs: T0 } });
    const manager = (name: string): ConfigRecordEvent => ({ type: 'CommissaireContainerManagerCreated', data: { name, recordType: 'trivial', options: {}, atMs: T0 } });
    const views = given((r) => [
      r('commnetwork-n2', network('n2', 'flannel_server')),
      r('commnetwork-n1', network('n1', 'flannel_etcd')),
      r('commcm-n1', manager('n1')),
      r('commcm-gone', manager('gone')),
      r('commcm-gone', { type: 'CommissaireContainerManagerDeleted', data: { atMs: T0 } }),
    ]);
    assert.deepEqual(views.configRecords('network'), [
      { name: 'n1', recordType: 'flannel_etcd', options: { etcd: 'n1' } },
      { name: 'n2', recordType: 'flannel_server', options: { etcd: 'n2' } },
    ]);
    assert.deepEqual(views.configRecords('containermanager'), [{ name: 'n1', recordType: 'trivial', options: {} }]);
    assert.deepEqual(views.configRecord('network', 'n2')?.recordType, 'flannel_server');
    assert.equal(views.configRecord('containermanager', 'n2'), undefined);
    assert.equal(views.configRecord('containermanager', 'gone'), undefined);
  });

  it('a deleted record created again comes back with its new type', () => {
    const views = given((r) => [
      r('commnetwork-n', { type: 'CommissaireNetworkCreated', data: { name: 'n', recordType: 'flannel_etcd', options: {}, atMs: T0 } }),
      r('commnetwork-n', { type: 'CommissaireNetworkDeleted', data: { atMs: T0 } }),
      r('commnetwork-n', { type: 'CommissaireNetworkCreated', data: { name: 'n', recordType: 'flannel_server', options: { a: 1 }, atMs: T0 } }),
    ]);
    assert.deepEqual(views.configRecords('network'), [{ name: 'n', recordType: 'flannel_server', options: { a: 1 } }]);
  });
});

describe('Commissaire views: operations', () => {
  const started = (cluster: string, kind: 'deploy' | 'restart', hosts: string[]): OperationEvent => ({
    type: 'ClusterOperationStarted',
    data: { cluster, kind, version: kind === 'deploy' ? 'android' : null, hosts, atMs: T0 },
  });

  it('answers the latest operation of a kind on a cluster, and lists those in process', () => {
    const views = given((r) => [
      r(`clusterop-${operationId('restart', 'web')}`, started('web', 'restart', ['a', 'b'])),
      r('clusterop-restart-web', { type: 'ClusterOperationHostStarted', data: { host: 'a', atMs: T0 + 1 } }),
      r('clusterop-deploy-web', started('web', 'deploy', ['a'])),
      r('clusterop-deploy-web', { type: 'ClusterOperationHostStarted', data: { host: 'a', atMs: T0 + 1 } }),
      r('clusterop-deploy-web', { type: 'ClusterOperationHostDone', data: { host: 'a', atMs: T0 + 2 } }),
      r('clusterop-deploy-web', { type: 'ClusterOperationFinished', data: { atMs: T0 + 2 } }),
      r('clusterop-restart-db', started('db', 'restart', ['c'])),
      r('clusterop-restart-db', { type: 'ClusterOperationHostFailed', data: { host: 'c', reason: 'busy', atMs: T0 + 3 } }),
    ]);
    assert.equal(operationId('restart', 'web'), 'restart-web');
    const restart = views.operation('web', 'restart');
    assert.deepEqual([restart?.status, restart?.inProcess, restart?.done], ['in_process', 'a', []]);
    const deploy = views.operation('web', 'deploy');
    assert.deepEqual([deploy?.status, deploy?.done, deploy?.version, deploy?.finishedAtMs], ['finished', ['a'], 'android', T0 + 2]);
    assert.deepEqual(views.operation('db', 'restart')?.failure, { host: 'c', reason: 'busy' });
    assert.equal(views.operation('db', 'deploy'), undefined);
    assert.deepEqual(
      views.openOperations().map((operation) => operationId(operation.kind, operation.cluster)),
      ['restart-web'],
    );
  });

  it('a new operation of the same kind starts over the ended one', () => {
    const views = given((r) => [
      r('clusterop-restart-web', started('web', 'restart', ['a'])),
      r('clusterop-restart-web', { type: 'ClusterOperationHostFailed', data: { host: 'a', reason: 'x', atMs: T0 + 1 } }),
      r('clusterop-restart-web', started('web', 'restart', ['a', 'b'])),
    ]);
    const again = views.operation('web', 'restart');
    assert.deepEqual([again?.status, again?.hosts, again?.failure, again?.done], ['in_process', ['a', 'b'], null, []]);
    assert.equal(views.openOperations().length, 1);
  });
});
