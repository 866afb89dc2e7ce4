import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  configRecordView,
  containerManagerDecider,
  networkDecider,
  type ConfigRecordCommand,
  type ContainerManagerEvent,
  type NetworkEvent,
} from '../../../../src/dialects/commissaire/domain/config-record-decider.js';
import { givenDecider } from '../../../support/given-when-then.js';

const T0 = Date.UTC(2030, 0, 1);
const now = T0 + 1000;
const options = { address: '192.168.152.101:8080', etcd: { port: 2379, tls: false } };
const createNetwork: ConfigRecordCommand = { type: 'Create', name: 'mynetwork', recordType: 'flannel_server', options, nowMs: T0 };
const networkCreated: NetworkEvent = { type: 'CommissaireNetworkCreated', data: { name: 'mynetwork', recordType: 'flannel_server', options, atMs: T0 } };
const managerCreated: ContainerManagerEvent = {
  type: 'CommissaireContainerManagerCreated',
  data: { name: 'prod_openshift', recordType: 'openshift', options: { apiserver: 'https://192.168.152.101:8080/api/' }, atMs: T0 },
};

describe('network decider', () => {
  it('creates a network', () => {
    givenDecider(networkDecider).when(createNetwork).thenEvents([networkCreated]);
  });

  it('accepts an identical re-creation, whatever the order of its option keys, as a success that changes nothing', () => {
    givenDecider(networkDecider)
      .given(networkCreated)
      .when({ ...createNetwork, options: { etcd: { tls: false, port: 2379 }, address: '192.168.152.101:8080' }, nowMs: now })
      .thenNothing();
  });

  it('refuses a re-creation with another type or other options as a conflict', () => {
    givenDecider(networkDecider)
      .given(networkCreated)
      .when({ ...createNetwork, recordType: 'flannel_etcd' })
      .thenRejected('conflict');
    givenDecider(networkDecider)
      .given(networkCreated)
      .when({ ...createNetwork, options: { ...options, address: 'elsewhere' } })
      .thenRejected('conflict');
  });

  it('refuses an unknown type, a bad name or options that are not an object as invalid', () => {
    for (const bad of [{ recordType: 'openshift' }, { recordType: '' }, { name: 'a/b' }, { options: [] }, { options: 'x' }, { options: null }]) {
      givenDecider(networkDecider)
        .when({ ...createNetwork, ...bad })
        .thenRejected('invalid');
    }
  });

  it('deletes a network, after which its name is free; an unknown one is not found', () => {
    givenDecider(networkDecider)
      .given(networkCreated)
      .when({ type: 'Delete', nowMs: now })
      .thenEvents([{ type: 'CommissaireNetworkDeleted', data: { atMs: now } }])
      .when({ type: 'Delete', nowMs: now })
      .thenRejected('not_found')
      .when({ ...createNetwork, recordType: 'flannel_etcd', nowMs: now })
      .thenEventTypes('CommissaireNetworkCreated');
  });

  it('answers GET /network/{name}', () => {
    const state = givenDecider(networkDecider).given(networkCreated).state;
    assert.equal(state.status, 'present');
    if (state.status === 'present') assert.deepEqual(configRecordView(state), { name: 'mynetwork', type: 'flannel_server', options });
  });
});

describe('container manager decider', () => {
  it('creates openshift and trivial container managers', () => {
    givenDecider(containerManagerDecider).when({ type: 'Create', name: 'prod_openshift', recordType: 'openshift', options: managerCreated.data.options, nowMs: T0 }).thenEvents([managerCreated]);
    givenDecider(containerManagerDecider).when({ type: 'Create', name: 'local', recordType: 'trivial', options: {}, nowMs: T0 }).thenEventTypes('CommissaireContainerManagerCreated');
  });

  it('refuses a network type as invalid', () => {
    givenDecider(containerManagerDecider)
      .when({ type: 'Create', name: 'x', recordType: 'flannel_etcd', options: {}, nowMs: T0 })
      .thenRejected('invalid', /openshift, trivial/);
  });

  it('accepts an identical re-creation and refuses a different one', () => {
    const { name, recordType, options: managerOptions } = managerCreated.data;
    givenDecider(containerManagerDecider)
      .given(managerCreated)
      .when({ type: 'Create', name, recordType, options: managerOptions, nowMs: now })
      .thenNothing()
      .when({ type: 'Create', name, recordType: 'trivial', options: managerOptions, nowMs: now })
      .thenRejected('conflict');
  });

  it('deletes a container manager; an unknown one is not found', () => {
    givenDecider(containerManagerDecider).given(managerCreated).when({ type: 'Delete', nowMs: now }).thenEventTypes('CommissaireContainerManagerDeleted');
    givenDecider(containerManagerDecider).when({ type: 'Delete', nowMs: now }).thenRejected('not_found');
  });
});
