// vmpooler's pools on the lab page: each pool's queues against its size, and who holds each
// checked-out device. Polled from labpool's read-only `/labpool/pools/` (a labpool without vmpooler
// pools shows nothing); the live feed asks for an early refresh when devices or VMs move.

import { pollCard } from './api.js';
import { clock, fill, h } from './dom.js';

const QUEUES = ['ready', 'pending', 'running', 'completed'];

async function fetchPools() {
  const response = await fetch('/labpool/pools/', { headers: { accept: 'application/json' } });
  if (!response.ok) return [];
  return (await response.json()).pools;
}

/** A bar of the pool's queues, each segment's width its share of the pool's size. */
function bar(pool) {
  const total = Math.max(
    pool.size,
    QUEUES.reduce((sum, queue) => sum + pool[queue], 0),
    1,
  );
  return h(
    'div',
    { class: 'pool-bar', role: 'img', 'aria-label': QUEUES.map((queue) => `${pool[queue]} ${queue}`).join(', ') },
    QUEUES.filter((queue) => pool[queue] > 0).map((queue) => h('span', { class: `pool-seg seg-${queue}`, style: { width: `${(100 * pool[queue]) / total}%` }, title: `${pool[queue]} ${queue}` })),
  );
}

function checkedOutRows(pool) {
  return pool.checked_out.map((vm) =>
    h(
      'tr',
      { dataset: { device: vm.device, vm: vm.vm } },
      h('td', {}, h('a', { href: `device.html?name=${encodeURIComponent(vm.device)}` }, vm.device)),
      h('td', { class: 'mono' }, vm.vm),
      h('td', {}, vm.user ?? h('span', { class: 'muted' }, 'no token')),
      h('td', {}, vm.since === null ? '' : clock(vm.since)),
      h('td', {}, vm.expires === null ? '' : clock(vm.expires)),
    ),
  );
}

function poolCard(pool) {
  const counts = QUEUES.map((queue) => h('span', { class: `pool-count seg-${queue}`, dataset: { queue } }, h('strong', {}, String(pool[queue])), ` ${queue}`));
  return h(
    'div',
    { class: 'pool', dataset: { pool: pool.name, size: pool.size, ready: pool.ready, pending: pool.pending, running: pool.running, completed: pool.completed } },
    h('div', { class: 'pool-head' }, h('strong', {}, pool.name), h('span', { class: 'muted' }, `${pool.image} · size ${pool.size}${pool.alias.length ? ` · ${pool.alias.join(', ')}` : ''}`)),
    bar(pool),
    h('div', { class: 'pool-counts' }, counts),
    pool.checked_out.length > 0 &&
      h(
        'table',
        { class: 'table pool-vms' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['device', 'vm', 'user', 'since', 'expires'].map((label) => h('th', {}, label)),
          ),
        ),
        h('tbody', {}, checkedOutRows(pool)),
      ),
  );
}

export function startPools() {
  return pollCard('pools-card', async (card) => {
    const pools = await fetchPools();
    card.hidden = pools.length === 0;
    fill('pools', pools.map(poolCard));
  });
}
