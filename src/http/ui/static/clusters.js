// Commissaire's clusters on the lab page: each cluster's computed status, network and container
// manager, its hosts (each linking to the device it is) and its latest deploy, upgrade and restart, then
// the hosts in no cluster. Polled from labpool's read-only `/labpool/clusters/` (a labpool without
// Commissaire answers 404 and the section stays hidden, as it does before the first cluster or host);
// the live feed asks for an early refresh when a host, a cluster or an operation moves.

import { pollCard } from './api.js';
import { clock, dateTime, fill, h } from './dom.js';

const OPERATION_KINDS = ['deploy', 'upgrade', 'restart'];
/** What each kind calls its hosts done (`GET /cluster/{name}/deploy` → `deployed`). */
const DONE_FIELD = { deploy: 'deployed', upgrade: 'upgraded', restart: 'restarted' };

/** The clusters and the hosts in no cluster; null when this labpool serves no cluster list. */
async function fetchClusters() {
  const response = await fetch('/labpool/clusters/', { headers: { accept: 'application/json' } });
  if (!response.ok) return null;
  return response.json();
}

/** A host status as a colour class: active → free, being set up → imaging, failed → failed, else grey. */
export function hostClass(status) {
  if (status === 'active') return 'free';
  if (status === 'investigating' || status === 'bootstrapping') return 'imaging';
  if (status === 'failed') return 'failed';
  return 'closed';
}

/** A cluster or operation status as a colour class. */
export function clusterClass(status) {
  return { ok: 'free', finished: 'free', degraded: 'imaging', in_process: 'imaging', failed: 'failed' }[status] ?? 'closed';
}

function pill(text, cls, kind) {
  return h('span', { class: `pill pill-${cls}`, dataset: { [kind]: text } }, text);
}

const deviceLink = (device) => h('a', { href: `device.html?name=${encodeURIComponent(device)}` }, device);

function factsText(facts) {
  if (facts === null) return '';
  const memoryGb = (facts.memory / 1_048_576).toFixed(1);
  return [facts.os || 'unknown os', `${facts.cpus} cpu${facts.cpus === 1 ? '' : 's'}`, `${memoryGb} GB`].join(' · ');
}

function hostRow(host) {
  const status = host.status ?? 'unregistered';
  return h(
    'tr',
    { dataset: { host: host.address, status, device: host.device ?? '' } },
    h('td', { class: 'mono nowrap' }, host.address),
    h('td', { class: 'nowrap' }, host.device === null ? h('span', { class: 'muted' }, 'no host record') : deviceLink(host.device)),
    h('td', {}, pill(status, hostClass(host.status), 'status')),
    h('td', { class: 'muted host-facts', title: host.facts === null ? '' : `last check ${host.facts.last_check}` }, factsText(host.facts)),
    h('td', { class: 'host-reason', title: host.reason ?? '' }, host.reason ?? ''),
  );
}

/** A table of hosts, or null when there is none. */
export function hostsTable(hosts) {
  if (hosts.length === 0) return null;
  const head = h(
    'tr',
    {},
    ['address', 'device', 'status', 'facts', 'why'].map((label) => h('th', {}, label)),
  );
  return h('table', { class: 'table cluster-hosts' }, h('thead', {}, head), h('tbody', {}, hosts.map(hostRow)));
}

function operationLine(operation) {
  const done = operation[DONE_FIELD[operation.kind]] ?? [];
  const started = operation.started_at ? `${operation.started_at}Z` : '';
  return h(
    'div',
    { class: `cluster-op cls-${clusterClass(operation.status)}`, dataset: { kind: operation.kind, status: operation.status } },
    h('strong', { class: 'cluster-op-kind' }, operation.kind),
    operation.kind === 'deploy' && operation.version && h('span', { class: 'cluster-op-version' }, operation.version),
    pill(operation.status, clusterClass(operation.status), 'status'),
    h('span', { class: 'cluster-op-progress', dataset: { done: done.length, total: operation.hosts.length } }, `${done.length}/${operation.hosts.length} hosts`),
    operation.in_process.length > 0 && h('span', { class: 'mono' }, `on ${operation.in_process.join(', ')}`),
    started && h('time', { datetime: started, title: `started ${dateTime(started)}` }, clock(started)),
    operation.failure && h('span', { class: 'cluster-op-failure' }, `${operation.failure.host}: ${operation.failure.reason}`),
  );
}

/** One cluster: its head (name, status, network, container manager, counts), hosts and operations. */
export function clusterCard(cluster) {
  const cls = clusterClass(cluster.status);
  const operations = OPERATION_KINDS.map((kind) => cluster.operations[kind]).filter((operation) => operation !== null && operation !== undefined);
  const { total, available } = cluster.hosts;
  return h(
    'div',
    { class: `cluster cls-${cls}`, dataset: { cluster: cluster.name, status: cluster.status, total, available } },
    h(
      'div',
      { class: 'cluster-head' },
      h('strong', { class: 'cluster-name' }, cluster.name),
      pill(cluster.status, cls, 'status'),
      h('span', { class: 'muted cluster-counts' }, `${available}/${total} host${total === 1 ? '' : 's'} available`),
    ),
    h(
      'div',
      { class: 'cluster-meta muted' },
      'network ',
      h('span', { class: 'cluster-network' }, cluster.network),
      ' · container manager ',
      h('span', { class: 'cluster-cm' }, cluster.container_manager || 'none'),
    ),
    hostsTable(cluster.members),
    operations.length > 0 && h('div', { class: 'cluster-ops' }, operations.map(operationLine)),
  );
}

/** The hosts no cluster lists, under their own heading, or null when there is none. */
function unclusteredBlock(hosts) {
  if (hosts.length === 0) return null;
  return h('div', { class: 'cluster unclustered', dataset: { unclustered: hosts.length } }, h('div', { class: 'cluster-head' }, h('strong', {}, 'Hosts in no cluster')), hostsTable(hosts));
}

/** Draws `answer` (or its absence: null) into `card`, a section holding `.clusters-count` and `.clusters`. */
export function renderClusters(card, answer) {
  card.dataset.source = answer === null ? 'absent' : 'served';
  const clusters = answer?.clusters ?? [];
  const unclustered = answer?.unclustered ?? [];
  card.hidden = clusters.length === 0 && unclustered.length === 0;
  fill(card.querySelector('.clusters-count'), clusters.length === 0 ? '' : `${clusters.length} cluster${clusters.length === 1 ? '' : 's'} · `);
  fill(card.querySelector('.clusters'), clusters.map(clusterCard), unclusteredBlock(unclustered));
}

export function startClusters() {
  return pollCard('clusters-card', async (card) => renderClusters(card, await fetchClusters()));
}
