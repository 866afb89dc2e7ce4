import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostDecider, type HostCommand, type HostEvent, type HostFacts } from '../../../../src/dialects/commissaire/domain/host-decider.js';
import { hostListEntry, hostStatusView, hostView, isRegistered, type HostState } from '../../../../src/dialects/commissaire/domain/host-state.js';
import { givenDecider } from '../../../support/given-when-then.js';

const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const ADDRESS = '192.168.100.50';
const register: HostCommand = {
  type: 'Register',
  address: ADDRESS,
  device: 'sim-0001',
  cluster: 'prod',
  clusterExists: true,
  credsSealed: 'v1.sealed-a',
  keyFingerprint: 'v1.fp-a',
  nowMs: T0,
};
const registered: HostEvent = {
  type: 'HostRegistered',
  data: { address: ADDRESS, device: 'sim-0001', cluster: 'prod', credsSealed: 'v1.sealed-a', keyFingerprint: 'v1.fp-a', atMs: T0 },
};
const facts: HostFacts = { os: 'fedora', cpus: 4, memoryKb: 11989228, spaceKb: 487652, lastCheckMs: T0 + 1000 };
const investigated: HostEvent = { type: 'HostInvestigated', data: { facts, atMs: T0 + 1000 } };
const active: HostEvent = { type: 'HostBootstrapped', data: { to: 'active', atMs: T0 + 2000 } };
const now = T0 + 5000;

function registeredHost(state: HostState) {
  assert.ok(isRegistered(state), 'host registered');
  return state;
}

describe('host decider: registration', () => {
  it('registers a host as investigating, keeping only sealed credentials', () => {
    givenDecider(hostDecider)
      .when(register)
      .thenEvents([registered])
      .thenState((state) => state.status === 'investigating');
  });

  it('accepts an identical re-registration as a success that changes nothing', () => {
    givenDecider(hostDecider)
      .given(registered, investigated)
      .when({ ...register, nowMs: now })
      .thenNothing();
  });

  it('accepts a re-registration with the same key and no cluster', () => {
    givenDecider(hostDecider)
      .given(registered)
      .when({ ...register, cluster: null, credsSealed: 'v1.sealed-again', nowMs: now })
      .thenNothing();
  });

  it('refuses a re-registration with another key as a conflict', () => {
    givenDecider(hostDecider)
      .given(registered)
      .when({ ...register, keyFingerprint: 'v1.fp-b' })
      .thenRejected('conflict', /another key/);
  });

  it('refuses a re-registration naming another cluster as a conflict', () => {
    givenDecider(hostDecider)
      .given(registered)
      .when({ ...register, cluster: 'staging' })
      .thenRejected('conflict', /not in cluster staging/);
  });

  it('refuses a registration naming a cluster that does not exist as a conflict', () => {
    givenDecider(hostDecider)
      .when({ ...register, clusterExists: false })
      .thenRejected('conflict', /no cluster prod/);
  });

  it('registers without a cluster whatever clusterExists says', () => {
    givenDecider(hostDecider)
      .when({ ...register, cluster: null, clusterExists: false })
      .thenEventTypes('HostRegistered');
  });

  for (const [field, value] of [
    ['address', 'bad/address'],
    ['address', ''],
    ['cluster', 'bad name'],
    ['device', ''],
    ['credsSealed', ''],
    ['keyFingerprint', ''],
  ] as const) {
    it(`refuses a registration with a bad ${field} (${JSON.stringify(value)}) as invalid`, () => {
      givenDecider(hostDecider)
        .when({ ...register, [field]: value })
        .thenRejected('invalid');
    });
  }

  it('lets a deleted host register afresh, with another key', () => {
    givenDecider(hostDecider)
      .given(registered, investigated, active, { type: 'HostDeleted', data: { atMs: now } })
      .when({ ...register, keyFingerprint: 'v1.fp-b', nowMs: now + 1 })
      .thenEventTypes('HostRegistered')
      .thenState((state) => registeredHost(state).facts === null && state.status === 'investigating');
  });
});

describe('host decider: lifecycle', () => {
  it('goes investigating → bootstrapping with the facts', () => {
    givenDecider(hostDecider)
      .given(registered)
      .when({ type: 'InvestigationSucceeded', facts, nowMs: T0 + 1000 })
      .thenEvents([investigated])
      .thenState((state) => state.status === 'bootstrapping' && registeredHost(state).facts?.cpus === 4);
  });

  it('goes bootstrapping → active when the cluster has a container manager', () => {
    givenDecider(hostDecider)
      .given(registered, investigated)
      .when({ type: 'Bootstrapped', hasContainerManager: true, nowMs: T0 + 2000 })
      .thenEvents([active])
      .thenState((state) => state.status === 'active');
  });

  it('goes bootstrapping → disassociated without a container manager', () => {
    givenDecider(hostDecider)
      .given(registered, investigated)
      .when({ type: 'Bootstrapped', hasContainerManager: false, nowMs: now })
      .thenEvents([{ type: 'HostBootstrapped', data: { to: 'disassociated', atMs: now } }])
      .thenState((state) => state.status === 'disassociated');
  });

  it('fails when investigation fails, keeping the reason', () => {
    givenDecider(hostDecider)
      .given(registered)
      .when({ type: 'InvestigationFailed', reason: 'self-test failed', nowMs: now })
      .thenEvents([{ type: 'HostInvestigationFailed', data: { reason: 'self-test failed', atMs: now } }])
      .thenState((state) => state.status === 'failed' && registeredHost(state).failureReason === 'self-test failed');
  });

  it('fails when bootstrap fails', () => {
    givenDecider(hostDecider)
      .given(registered, investigated)
      .when({ type: 'BootstrapFailed', reason: 'image failed', nowMs: now })
      .thenEventTypes('HostBootstrapFailed')
      .thenState((state) => state.status === 'failed');
  });

  it('refuses steps out of order as conflicts', () => {
    givenDecider(hostDecider)
      .given(registered)
      .when({ type: 'Bootstrapped', hasContainerManager: true, nowMs: now })
      .thenRejected('conflict', /investigating/);
    givenDecider(hostDecider).given(registered).when({ type: 'BootstrapFailed', reason: 'x', nowMs: now }).thenRejected('conflict');
    givenDecider(hostDecider).given(registered, investigated).when({ type: 'InvestigationSucceeded', facts, nowMs: now }).thenRejected('conflict');
    givenDecider(hostDecider).given(registered, investigated, active).when({ type: 'InvestigationFailed', reason: 'x', nowMs: now }).thenRejected('conflict');
  });

  it('refuses facts that are not counts as invalid', () => {
    givenDecider(hostDecider)
      .given(registered)
      .when({ type: 'InvestigationSucceeded', facts: { ...facts, cpus: -1 }, nowMs: now })
      .thenRejected('invalid');
  });

  it('refuses every step on an unknown host as not found', () => {
    for (const command of [
      { type: 'InvestigationSucceeded', facts, nowMs: now },
      { type: 'InvestigationFailed', reason: 'x', nowMs: now },
      { type: 'Bootstrapped', hasContainerManager: true, nowMs: now },
      { type: 'BootstrapFailed', reason: 'x', nowMs: now },
      { type: 'AssignCluster', cluster: 'prod', nowMs: now },
      { type: 'Delete', nowMs: now },
    ] satisfies HostCommand[]) {
      givenDecider(hostDecider).when(command).thenRejected('not_found');
    }
  });

  it('follows a change of cluster, and a repeat changes nothing', () => {
    givenDecider(hostDecider)
      .given(registered)
      .when({ type: 'AssignCluster', cluster: null, nowMs: now })
      .thenEvents([{ type: 'HostClusterAssigned', data: { cluster: null, atMs: now } }])
      .when({ type: 'AssignCluster', cluster: null, nowMs: now + 1 })
      .thenNothing();
  });

  it('deletes a host in any status', () => {
    givenDecider(hostDecider)
      .given(registered, { type: 'HostInvestigationFailed', data: { reason: 'x', atMs: now } })
      .when({ type: 'Delete', nowMs: now + 1 })
      .thenEvents([{ type: 'HostDeleted', data: { atMs: now + 1 } }])
      .thenState((state) => state.status === 'unregistered');
  });
});

describe('host views', () => {
  it('answers GET /host with zeros and no last_check before investigation', () => {
    const state = registeredHost(givenDecider(hostDecider).given(registered).state);
    assert.deepEqual(hostView(state), { address: ADDRESS, status: 'investigating', os: '', cpus: 0, memory: 0, space: 0, last_check: '', source: '' });
  });

  it('answers GET /host, /hosts and /host/{address}/status with the facts', () => {
    const state = registeredHost(givenDecider(hostDecider).given(registered, investigated, active).state);
    const last_check = '2030-01-01T12:00:01.000000';
    assert.deepEqual(hostView(state), { address: ADDRESS, status: 'active', os: 'fedora', cpus: 4, memory: 11989228, space: 487652, last_check, source: '' });
    assert.deepEqual(hostListEntry(state), { address: ADDRESS, status: 'active', os: 'fedora', cpus: 4, memory: 11989228, space: 487652, last_check });
    assert.deepEqual(hostStatusView(state), { type: 'host_only', host: { last_check, status: 'active' }, container_manager: {} });
  });

  it('never shows credentials', () => {
    const state = registeredHost(givenDecider(hostDecider).given(registered, investigated).state);
    assert.doesNotMatch(JSON.stringify([hostView(state), hostStatusView(state)]), /sealed|fp-a/);
  });
});
