import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextHost, operationDecider, type OperationCommand, type OperationEvent, type OperationState } from '../../../../src/dialects/commissaire/domain/operation-decider.js';
import { operationView } from '../../../../src/dialects/commissaire/domain/operation-view.js';
import { givenDecider } from '../../../support/given-when-then.js';

const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const HOSTS = ['10.0.0.1', '10.0.0.2'];
const deploy: OperationCommand = { type: 'Start', cluster: 'prod', kind: 'deploy', version: 'fedora-atomic', hosts: HOSTS, nowMs: T0 };
const deployStarted: OperationEvent = { type: 'ClusterOperationStarted', data: { cluster: 'prod', kind: 'deploy', version: 'fedora-atomic', hosts: HOSTS, atMs: T0 } };
const restartStarted: OperationEvent = { type: 'ClusterOperationStarted', data: { cluster: 'prod', kind: 'restart', version: null, hosts: HOSTS, atMs: T0 } };
const hostStarted = (host: string, atMs = T0 + 1): OperationEvent => ({ type: 'ClusterOperationHostStarted', data: { host, atMs } });
const hostDone = (host: string, atMs = T0 + 2): OperationEvent => ({ type: 'ClusterOperationHostDone', data: { host, atMs } });
const firstDone = [deployStarted, hostStarted('10.0.0.1'), hostDone('10.0.0.1')];
const finished = [...firstDone, hostStarted('10.0.0.2'), hostDone('10.0.0.2', T0 + 4), { type: 'ClusterOperationFinished', data: { atMs: T0 + 4 } } as const];
const hostFailed: OperationEvent = { type: 'ClusterOperationHostFailed', data: { host: '10.0.0.1', reason: 'imaging failed', atMs: T0 + 3 } };
const failed = [deployStarted, hostStarted('10.0.0.1'), hostFailed];
const stateAfter = (...events: OperationEvent[]): OperationState => givenDecider(operationDecider).given(...events).state;
const now = T0 + 10;

describe('operation decider: start', () => {
  it('starts a deploy in process with nothing in process or done yet', () => {
    givenDecider(operationDecider)
      .when(deploy)
      .thenEvents([deployStarted])
      .thenState((state) => state.status === 'in_process' && state.inProcess === null && state.done.length === 0);
  });

  it('refuses a deploy without a version as invalid', () => {
    givenDecider(operationDecider)
      .when({ ...deploy, version: null })
      .thenRejected('invalid', /version/);
    givenDecider(operationDecider)
      .when({ ...deploy, version: '' })
      .thenRejected('invalid');
  });

  it('starts a restart or an upgrade without a version, dropping one that is sent', () => {
    givenDecider(operationDecider)
      .when({ ...deploy, kind: 'restart', version: 'ignored' })
      .thenEvents([restartStarted]);
    givenDecider(operationDecider)
      .when({ ...deploy, kind: 'upgrade', version: null })
      .thenEventTypes('ClusterOperationStarted');
  });

  it('refuses a second operation while one is in process as a conflict', () => {
    givenDecider(operationDecider)
      .given(...firstDone)
      .when({ ...deploy, nowMs: now })
      .thenRejected('conflict', /in process/);
  });

  it('starts anew after the last one finished or failed', () => {
    for (const history of [finished, failed]) {
      givenDecider(operationDecider)
        .given(...history)
        .when({ ...deploy, version: 'next', nowMs: now })
        .thenEventTypes('ClusterOperationStarted')
        .thenState((state) => state.status === 'in_process' && state.done.length === 0 && state.failure === null && state.finishedAtMs === null);
    }
  });

  it('finishes at once on a cluster with no hosts', () => {
    givenDecider(operationDecider)
      .when({ ...deploy, hosts: [] })
      .thenEventTypes('ClusterOperationStarted', 'ClusterOperationFinished')
      .thenState((state) => state.status === 'finished');
  });

  it('refuses another kind or cluster than the stream holds as invalid', () => {
    givenDecider(operationDecider)
      .given(...finished)
      .when({ ...deploy, kind: 'restart' })
      .thenRejected('invalid');
    givenDecider(operationDecider)
      .given(...finished)
      .when({ ...deploy, cluster: 'other' })
      .thenRejected('invalid');
  });
});

describe('operation decider: one host at a time', () => {
  it('works on the hosts in order and finishes after the last', () => {
    givenDecider(operationDecider)
      .given(deployStarted)
      .when({ type: 'HostStarted', host: '10.0.0.1', nowMs: T0 + 1 })
      .thenEvents([hostStarted('10.0.0.1')])
      .when({ type: 'HostDone', host: '10.0.0.1', nowMs: T0 + 2 })
      .thenEvents([hostDone('10.0.0.1')])
      .thenState((state) => state.status === 'in_process')
      .when({ type: 'HostStarted', host: '10.0.0.2', nowMs: T0 + 3 })
      .thenEventTypes('ClusterOperationHostStarted')
      .when({ type: 'HostDone', host: '10.0.0.2', nowMs: T0 + 4 })
      .thenEvents([hostDone('10.0.0.2', T0 + 4), { type: 'ClusterOperationFinished', data: { atMs: T0 + 4 } }])
      .thenState((state) => state.status === 'finished' && state.finishedAtMs === T0 + 4);
  });

  it('refuses to start a host out of turn, or a second one while one is in process, as conflicts', () => {
    givenDecider(operationDecider)
      .given(deployStarted)
      .when({ type: 'HostStarted', host: '10.0.0.2', nowMs: now })
      .thenRejected('conflict', /not the next/);
    givenDecider(operationDecider).given(deployStarted, hostStarted('10.0.0.1')).when({ type: 'HostStarted', host: '10.0.0.2', nowMs: now }).thenRejected('conflict');
  });

  it('accepts the host in process started again (the redo after a restart) with no event', () => {
    givenDecider(operationDecider).given(deployStarted, hostStarted('10.0.0.1')).when({ type: 'HostStarted', host: '10.0.0.1', nowMs: now }).thenNothing();
  });

  it('accepts a repeated report of a host done with no event, and refuses one for a host not in process', () => {
    givenDecider(operationDecider)
      .given(...firstDone)
      .when({ type: 'HostDone', host: '10.0.0.1', nowMs: now })
      .thenNothing();
    givenDecider(operationDecider)
      .given(...finished)
      .when({ type: 'HostDone', host: '10.0.0.2', nowMs: now })
      .thenNothing();
    givenDecider(operationDecider)
      .given(...firstDone)
      .when({ type: 'HostDone', host: '10.0.0.2', nowMs: now })
      .thenRejected('conflict');
  });

  it('fails and stops at the first failure', () => {
    givenDecider(operationDecider)
      .given(deployStarted, hostStarted('10.0.0.1'))
      .when({ type: 'HostFailed', host: '10.0.0.1', reason: 'imaging failed', nowMs: T0 + 3 })
      .thenEvents([hostFailed])
      .thenState((state) => state.status === 'failed' && state.inProcess === null && state.finishedAtMs === T0 + 3 && nextHost(state) === undefined)
      .when({ type: 'HostStarted', host: '10.0.0.2', nowMs: now })
      .thenRejected('conflict', /failed/);
  });

  it('fails on the next host before its work began (its device was refused)', () => {
    givenDecider(operationDecider)
      .given(...firstDone)
      .when({ type: 'HostFailed', host: '10.0.0.2', reason: 'held by someone else', nowMs: now })
      .thenEventTypes('ClusterOperationHostFailed');
  });

  it('accepts the same failure reported again, and refuses a failure of another host', () => {
    givenDecider(operationDecider)
      .given(...failed)
      .when({ type: 'HostFailed', host: '10.0.0.1', reason: 'again', nowMs: now })
      .thenNothing();
    givenDecider(operationDecider)
      .given(...failed)
      .when({ type: 'HostFailed', host: '10.0.0.2', reason: 'x', nowMs: now })
      .thenRejected('conflict');
    givenDecider(operationDecider).given(deployStarted).when({ type: 'HostFailed', host: '10.0.0.2', reason: 'x', nowMs: now }).thenRejected('conflict');
  });

  it('refuses host work when no operation ever started as not found', () => {
    for (const command of [
      { type: 'HostStarted', host: '10.0.0.1', nowMs: now },
      { type: 'HostDone', host: '10.0.0.1', nowMs: now },
      { type: 'HostFailed', host: '10.0.0.1', reason: 'x', nowMs: now },
    ] satisfies OperationCommand[]) {
      givenDecider(operationDecider).when(command).thenRejected('not_found');
    }
  });
});

describe('next host', () => {
  it('names the first host not done, the host in process again after a restart, and nothing once ended', () => {
    assert.equal(nextHost(stateAfter()), undefined);
    assert.equal(nextHost(stateAfter(deployStarted)), '10.0.0.1');
    assert.equal(nextHost(stateAfter(deployStarted, hostStarted('10.0.0.1'))), '10.0.0.1');
    assert.equal(nextHost(stateAfter(...firstDone)), '10.0.0.2');
    assert.equal(nextHost(stateAfter(...finished)), undefined);
    assert.equal(nextHost(stateAfter(...failed)), undefined);
  });
});

describe('operation view', () => {
  const viewAfter = (...events: OperationEvent[]) => {
    const state = stateAfter(...events);
    assert.notEqual(state.status, 'none');
    return state.status === 'none' ? undefined : operationView(state);
  };

  it('answers a deploy just started as Commissaire did', () => {
    assert.deepEqual(viewAfter(deployStarted), {
      name: 'prod',
      status: 'in_process',
      started_at: '2030-01-01T12:00:00.000000',
      finished_at: '',
      in_process: [],
      deployed: [],
      version: 'fedora-atomic',
    });
  });

  it('lists the host in process and the hosts done as addresses', () => {
    assert.deepEqual(viewAfter(...firstDone, hostStarted('10.0.0.2')), {
      name: 'prod',
      status: 'in_process',
      started_at: '2030-01-01T12:00:00.000000',
      finished_at: '',
      in_process: ['10.0.0.2'],
      deployed: ['10.0.0.1'],
      version: 'fedora-atomic',
    });
  });

  it('names the done list after the kind, with no version for upgrade and restart', () => {
    const restart = { ...restartStarted, data: { ...restartStarted.data, hosts: [] } };
    assert.deepEqual(viewAfter(restart, { type: 'ClusterOperationFinished', data: { atMs: T0 + 5 } }), {
      name: 'prod',
      status: 'finished',
      started_at: '2030-01-01T12:00:00.000000',
      finished_at: '2030-01-01T12:00:00.005000',
      in_process: [],
      restarted: [],
    });
    const upgrade = { ...restartStarted, data: { ...restartStarted.data, kind: 'upgrade' as const } };
    assert.deepEqual(Object.keys(viewAfter(upgrade) ?? {}).sort(), ['finished_at', 'in_process', 'name', 'started_at', 'status', 'upgraded']);
  });

  it('shows a failed operation with its end time and nothing in process', () => {
    const view = viewAfter(...failed);
    assert.equal(view?.status, 'failed');
    assert.equal(view?.finished_at, '2030-01-01T12:00:00.003000');
    assert.deepEqual(view?.in_process, []);
  });
});
