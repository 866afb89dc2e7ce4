import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterDecider, type ClusterCommand, type ClusterEvent, type ClusterState } from '../../../../src/dialects/commissaire/domain/cluster-decider.js';
import { clusterHealth, clusterView } from '../../../../src/dialects/commissaire/domain/cluster-status.js';
import type { HostStatus } from '../../../../src/dialects/commissaire/domain/host-events.js';
import { givenDecider } from '../../../support/given-when-then.js';

const T0 = Date.UTC(2030, 0, 1);
const now = T0 + 1000;
const create: ClusterCommand = { type: 'Create', name: 'prod', network: 'default', containerManager: 'prod_openshift', nowMs: T0 };
const created: ClusterEvent = { type: 'ClusterCreated', data: { name: 'prod', network: 'default', containerManager: 'prod_openshift', atMs: T0 } };
const added = (address: string): ClusterEvent => ({ type: 'ClusterHostAdded', data: { address, atMs: T0 } });
const withTwo = [created, added('10.0.0.1'), added('10.0.0.2')];
const replace = (old: readonly string[], next: readonly string[], addedStatuses: Readonly<Record<string, HostStatus | null>> = {}): ClusterCommand => ({
  type: 'ReplaceHosts',
  old,
  new: next,
  addedStatuses,
  nowMs: now,
});
const hostsOf = (state: ClusterState): readonly string[] => (state.status === 'present' ? state.hosts : []);

describe('cluster decider: creation and deletion', () => {
  it('creates a cluster with no hosts', () => {
    givenDecider(clusterDecider)
      .when(create)
      .thenEvents([created])
      .thenState((state) => state.status === 'present' && state.hosts.length === 0);
  });

  it('creates a cluster on the default network when none is named, and without a container manager', () => {
    givenDecider(clusterDecider)
      .when({ ...create, network: null, containerManager: null })
      .thenEvents([{ type: 'ClusterCreated', data: { name: 'prod', network: 'default', containerManager: null, atMs: T0 } }]);
  });

  it('accepts an identical re-creation as a success that changes nothing', () => {
    givenDecider(clusterDecider)
      .given(...withTwo)
      .when({ ...create, nowMs: now })
      .thenNothing();
  });

  it('refuses a re-creation with another network or container manager as a conflict', () => {
    givenDecider(clusterDecider)
      .given(created)
      .when({ ...create, network: 'other' })
      .thenRejected('conflict');
    givenDecider(clusterDecider)
      .given(created)
      .when({ ...create, containerManager: null })
      .thenRejected('conflict');
  });

  it('refuses bad names as invalid', () => {
    givenDecider(clusterDecider)
      .when({ ...create, name: 'a b' })
      .thenRejected('invalid');
    givenDecider(clusterDecider)
      .when({ ...create, containerManager: 'x/y' })
      .thenRejected('invalid');
  });

  it('deletes a cluster, naming the hosts it released, and the name may be created again', () => {
    givenDecider(clusterDecider)
      .given(...withTwo)
      .when({ type: 'Delete', nowMs: now })
      .thenEvents([{ type: 'ClusterDeleted', data: { hosts: ['10.0.0.1', '10.0.0.2'], atMs: now } }])
      .thenState((state) => state.status === 'absent')
      .when({ ...create, network: 'other', nowMs: now + 1 })
      .thenEventTypes('ClusterCreated');
  });

  it('refuses everything but creation on an unknown or deleted cluster as not found', () => {
    for (const command of [
      { type: 'Delete', nowMs: now },
      { type: 'AddHost', address: '10.0.0.1', nowMs: now },
      { type: 'RemoveHost', address: '10.0.0.1', nowMs: now },
      replace([], []),
    ] satisfies ClusterCommand[]) {
      givenDecider(clusterDecider).when(command).thenRejected('not_found');
      givenDecider(clusterDecider)
        .given(created, { type: 'ClusterDeleted', data: { hosts: [], atMs: T0 } })
        .when(command)
        .thenRejected('not_found');
    }
  });
});

describe('cluster decider: membership', () => {
  it('adds a host once', () => {
    givenDecider(clusterDecider)
      .given(created)
      .when({ type: 'AddHost', address: '10.0.0.1', nowMs: now })
      .thenEvents([{ type: 'ClusterHostAdded', data: { address: '10.0.0.1', atMs: now } }])
      .when({ type: 'AddHost', address: '10.0.0.1', nowMs: now })
      .thenNothing();
  });

  it('removes a member; a host that is not one is not found', () => {
    givenDecider(clusterDecider)
      .given(...withTwo)
      .when({ type: 'RemoveHost', address: '10.0.0.1', nowMs: now })
      .thenEventTypes('ClusterHostRemoved')
      .thenState((state) => hostsOf(state).join() === '10.0.0.2')
      .when({ type: 'RemoveHost', address: '10.0.0.1', nowMs: now })
      .thenRejected('not_found');
  });

  it('replaces the hosts when old is the current set, in any order', () => {
    givenDecider(clusterDecider)
      .given(...withTwo)
      .when(replace(['10.0.0.2', '10.0.0.1'], ['10.0.0.2', '10.0.0.3'], { '10.0.0.3': 'active' }))
      .thenEvents([{ type: 'ClusterHostsReplaced', data: { hosts: ['10.0.0.2', '10.0.0.3'], added: ['10.0.0.3'], removed: ['10.0.0.1'], atMs: now } }])
      .thenState((state) => hostsOf(state).join() === '10.0.0.2,10.0.0.3');
  });

  it('lets a disassociated host join', () => {
    givenDecider(clusterDecider)
      .given(created)
      .when(replace([], ['10.0.0.9'], { '10.0.0.9': 'disassociated' }))
      .thenEventTypes('ClusterHostsReplaced');
  });

  it('refuses a replacement whose old list is not the current set as a conflict', () => {
    givenDecider(clusterDecider)
      .given(...withTwo)
      .when(replace(['10.0.0.1'], ['10.0.0.1']))
      .thenRejected('conflict');
    givenDecider(clusterDecider)
      .given(...withTwo)
      .when(replace(['10.0.0.1', '10.0.0.2', '10.0.0.3'], []))
      .thenRejected('conflict');
  });

  for (const status of ['investigating', 'bootstrapping', 'failed', null] as const) {
    it(`refuses to let a host join that is ${status ?? 'unknown'} as not allowed`, () => {
      givenDecider(clusterDecider)
        .given(...withTwo)
        .when(replace(['10.0.0.1', '10.0.0.2'], ['10.0.0.1', '10.0.0.2', '10.0.0.3'], { '10.0.0.3': status }))
        .thenRejected('not_allowed', /10\.0\.0\.3/);
    });
  }

  it('does not ask members that stay to be joinable', () => {
    givenDecider(clusterDecider)
      .given(...withTwo)
      .when(replace(['10.0.0.1', '10.0.0.2'], ['10.0.0.1']))
      .thenEvents([{ type: 'ClusterHostsReplaced', data: { hosts: ['10.0.0.1'], added: [], removed: ['10.0.0.2'], atMs: now } }]);
  });

  it('accepts a replacement that changes nothing with no event', () => {
    givenDecider(clusterDecider)
      .given(...withTwo)
      .when(replace(['10.0.0.1', '10.0.0.2'], ['10.0.0.2', '10.0.0.1']))
      .thenNothing();
  });
});

describe('cluster status', () => {
  it('is ok with every host active, or with no hosts', () => {
    assert.deepEqual(clusterHealth(['active', 'active']), { status: 'ok', hosts: { total: 2, available: 2, unavailable: 0 } });
    assert.deepEqual(clusterHealth([]), { status: 'ok', hosts: { total: 0, available: 0, unavailable: 0 } });
  });

  it('is degraded when some host is not active', () => {
    assert.deepEqual(clusterHealth(['active', 'failed', 'bootstrapping']), { status: 'degraded', hosts: { total: 3, available: 1, unavailable: 2 } });
  });

  it('is failed when it has hosts and none is active', () => {
    assert.deepEqual(clusterHealth(['disassociated', null]), { status: 'failed', hosts: { total: 2, available: 0, unavailable: 2 } });
  });

  it('answers GET /cluster/{name}', () => {
    const state = givenDecider(clusterDecider).given(...withTwo).state;
    assert.equal(state.status, 'present');
    if (state.status !== 'present') return;
    const statuses: Readonly<Record<string, HostStatus>> = { '10.0.0.1': 'active', '10.0.0.2': 'investigating' };
    assert.deepEqual(
      clusterView(state, (address) => statuses[address] ?? null),
      { name: 'prod', status: 'degraded', network: 'default', container_manager: 'prod_openshift', hosts: { total: 2, available: 1, unavailable: 1 } },
    );
    assert.equal(clusterView({ ...state, containerManager: null, hosts: [] }, () => null).container_manager, '');
  });
});
