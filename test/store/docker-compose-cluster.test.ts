import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/config.js';

// No Docker engine runs the tests: the compose file is checked by reading it as compose would.
interface Service {
  readonly image?: string;
  readonly build?: unknown;
  readonly profiles?: readonly string[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly ports?: readonly string[];
  readonly networks?: unknown;
  readonly depends_on?: Readonly<Record<string, { readonly condition: string }>>;
  readonly healthcheck?: unknown;
}

// `merge`: compose honours YAML merge keys (`<<: *anchor`), which the shared node and server settings use.
const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, Service>; networks?: Record<string, unknown> };
const services = compose.services;
const nodes = ['esdb1', 'esdb2', 'esdb3'];
const servers = ['labpool1', 'labpool2'];

/** Compose's `${NAME:-default}` with nothing set in the environment. */
const interpolate = (value: string): string => value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

function service(name: string): Service {
  const found = services[name];
  assert.ok(found, `service ${name}`);
  return found;
}

function env(name: string): Readonly<Record<string, string>> {
  const environment = service(name).environment;
  assert.ok(environment, `${name} has an environment`);
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, interpolate(String(value))]));
}

const addressOf = (name: string): string => (service(name).networks as Record<string, { ipv4_address: string }>)['esdb-cluster']!.ipv4_address;

describe('docker-compose.yml', () => {
  it('still starts the single node and its labpool server without a profile', () => {
    assert.equal(service('eventstore').image, 'eventstore/eventstore:24.10');
    assert.equal(service('eventstore').profiles, undefined);
    assert.equal(service('labpool').profiles, undefined);
    assert.equal(env('labpool')['EVENTSTORE_URL'], 'esdb://eventstore:2113?tls=false');
  });

  it('puts exactly the three nodes and two servers in the cluster profile', () => {
    const inCluster = Object.keys(services).filter((name) => service(name).profiles?.includes('cluster'));
    assert.deepEqual(inCluster.sort(), [...nodes, ...servers].sort());
  });

  it('runs an insecure three-node 24.10 cluster whose nodes seed gossip with the two others', () => {
    for (const node of nodes) {
      const nodeEnv = env(node);
      assert.equal(service(node).image, 'eventstore/eventstore:24.10');
      assert.ok(service(node).healthcheck, `${node} has a health check the servers wait on`);
      assert.equal(nodeEnv['EVENTSTORE_INSECURE'], 'true');
      assert.equal(nodeEnv['EVENTSTORE_CLUSTER_SIZE'], '3');
      assert.equal(nodeEnv['EVENTSTORE_DISCOVER_VIA_DNS'], 'false');
      assert.equal(nodeEnv['EVENTSTORE_REPLICATION_IP'], addressOf(node));
      assert.equal(nodeEnv['EVENTSTORE_ADVERTISE_HOST_TO_CLIENT_AS'], node);
      const seeds = nodeEnv['EVENTSTORE_GOSSIP_SEED']?.split(',').sort();
      const others = nodes.filter((other) => other !== node).map((other) => `${addressOf(other)}:2113`);
      assert.deepEqual(seeds, others.sort());
    }
    assert.equal(new Set(nodes.map(addressOf)).size, 3);
  });

  it('runs two labpool servers on the cluster with their own ids and ports and one peer token', () => {
    const tokens = new Set<string>();
    for (const server of servers) {
      const serverEnv = env(server);
      // A cluster connection string lists every node; WHATWG URLs take one host only, so split it by hand.
      const [hosts, query] = serverEnv['EVENTSTORE_URL']!.replace(/^esdb:\/\//, '').split('?');
      assert.deepEqual(
        hosts?.split(','),
        nodes.map((node) => `${node}:2113`),
      );
      assert.equal(new URLSearchParams(query).get('tls'), 'false');
      assert.deepEqual(Object.keys(service(server).depends_on ?? {}).sort(), nodes);
      assert.ok(Object.values(service(server).depends_on ?? {}).every((dependency) => dependency.condition === 'service_healthy'));
      assert.deepEqual(service(server).ports, [`${serverEnv['LABPOOL_PORT']}:${serverEnv['LABPOOL_PORT']}`]);
      assert.equal(serverEnv['LABPOOL_SERVER_ID'], `${server}:${serverEnv['LABPOOL_PORT']}`);
      tokens.add(serverEnv['LABPOOL_PEER_TOKEN']!);
    }
    assert.equal(tokens.size, 1, 'both servers share one peer token');
    assert.notEqual(env('labpool1')['LABPOOL_PORT'], env('labpool2')['LABPOOL_PORT']);
  });

  it("gives each server a configuration labpool's own loader accepts", () => {
    for (const server of servers) {
      const config = loadConfig({ env: { ...env(server) } });
      assert.deepEqual(config.store, { kind: 'eventstoredb', url: 'esdb://esdb1:2113,esdb2:2113,esdb3:2113?tls=false' });
      assert.equal(config.serverId, env(server)['LABPOOL_SERVER_ID']);
      assert.ok((config.servers?.peerToken ?? '').length >= 16);
    }
  });

  it('publishes no host port twice, so the cluster profile starts beside the default services', () => {
    const hostPorts = Object.values(services).flatMap((entry) => (entry.ports ?? []).map((mapping) => mapping.split(':')[0]));
    assert.equal(new Set(hostPorts).size, hostPorts.length, `host ports ${hostPorts.join(', ')}`);
  });
});
