// The lab page: device tiles by state class, counts, search and filters, requests, pools, tasks,
// clusters, live events.

import { api, debounce } from './api.js';
import { startClusters } from './clusters.js';
import { breakAfterUnderscores, fill, h, toast } from './dom.js';
import { createFeed } from './feed.js';
import { changesLists, isCommissaireEvent, startLive } from './live.js';
import { startPools } from './pools.js';
import { startTasks } from './tasks.js';
import { setUpTokenButton } from './token.js';
import { renderRequests, setUpRequestForm, updateDeviceChoices } from './requests.js';
import { DEVICE_CLASSES, deviceClass, deviceHolder } from './states.js';

const view = { devices: [], requests: [], previous: new Map(), polled: false, powerTroubleOnly: false };
const controls = {
  search: document.getElementById('search'),
  cls: document.getElementById('filter-class'),
  env: document.getElementById('filter-env'),
  closed: document.getElementById('show-closed'),
};

function matches(device) {
  const text = controls.search.value.trim().toLowerCase();
  const haystack = [device.name, device.state, device.image, device.environment, device.comments, device.request_id ?? '', deviceHolder(device) ?? '', device.fqdn].join(' ').toLowerCase();
  if (text !== '' && !text.split(/\s+/).every((word) => haystack.includes(word))) return false;
  if (controls.cls.value !== 'all' && deviceClass(device) !== controls.cls.value) return false;
  if (view.powerTroubleOnly && !hasPowerTrouble(device)) return false;
  return controls.env.value === 'all' || device.environment === controls.env.value;
}

/** Its last power cycles failed, none succeeding since (the server's `power_trouble` field). */
function hasPowerTrouble(device) {
  return Boolean(device.power_trouble);
}

function powerMark(device) {
  if (!hasPowerTrouble(device)) return null;
  const { failed_cycles: failed, last_error: error } = device.power_trouble;
  const title = `${failed} power cycle${failed === 1 ? '' : 's'} failed in a row: ${error}`;
  return h('span', { class: 'tile-power', title }, `⚡ power${failed > 1 ? ` ×${failed}` : ''}`);
}

/** The tile's badge: `req 12` for a MozPool request, the holder's name for the other families. */
function holderBadge(device) {
  const holder = deviceHolder(device);
  if (holder === null) return null;
  const text = device.request_id !== null && device.request_id !== undefined ? `req ${device.request_id}` : holder;
  return h('span', { class: 'tile-badge', title: `held by ${holder}` }, text);
}

function tile(device) {
  const cls = deviceClass(device);
  const changed = view.previous.has(device.name) && view.previous.get(device.name) !== device.state;
  const power = hasPowerTrouble(device) ? 'trouble' : 'ok';
  return h(
    'a',
    {
      class: `tile cls-${cls}${changed ? ' changed' : ''}${power === 'trouble' ? ' power-trouble' : ''}`,
      href: `device.html?name=${encodeURIComponent(device.name)}`,
      title: device.fqdn,
      dataset: { device: device.name, state: device.state, class: cls, request: device.request_id ?? '', holder: deviceHolder(device) ?? '', power },
    },
    h('div', { class: 'tile-head' }, h('span', { class: 'tile-name' }, device.name), powerMark(device), holderBadge(device)),
    h('div', { class: 'tile-state' }, breakAfterUnderscores(device.state)),
    h('div', { class: 'tile-meta' }, [device.image || 'no image', device.environment].filter(Boolean).join(' · ')),
    device.comments && h('div', { class: 'tile-comment', title: device.comments }, device.comments),
  );
}

function renderCounts() {
  const counts = Object.fromEntries(DEVICE_CLASSES.map(({ id }) => [id, 0]));
  for (const device of view.devices) counts[deviceClass(device)] += 1;
  const card = (id, label, value) =>
    h(
      'button',
      { class: `count count-${id}${id !== 'all' && controls.cls.value === id ? ' active' : ''}`, id: `count-${id}`, dataset: { count: value }, onclick: () => setClassFilter(id) },
      h('strong', {}, String(value)),
      h('span', {}, label),
    );
  fill(
    'counts',
    DEVICE_CLASSES.map(({ id, label, short }) => card(id, short ?? label, counts[id])),
    card('all', 'devices', view.devices.length),
  );
  renderPowerTrouble();
}

/** The header's count of devices with power trouble: hidden at zero, a click shows only them. */
function renderPowerTrouble() {
  const count = view.devices.filter(hasPowerTrouble).length;
  if (count === 0) view.powerTroubleOnly = false;
  const badge = document.getElementById('power-trouble');
  badge.hidden = count === 0;
  badge.dataset.count = String(count);
  badge.classList.toggle('active', view.powerTroubleOnly);
  badge.title = view.powerTroubleOnly ? 'showing only devices whose last power cycles failed: click to show all' : 'devices whose last power cycles failed: click to show only them';
  fill(badge, h('strong', {}, String(count)), ' power trouble');
}

function togglePowerTroubleOnly() {
  view.powerTroubleOnly = !view.powerTroubleOnly;
  renderPowerTrouble();
  renderTiles();
}

function renderTiles() {
  const shown = view.devices.filter(matches);
  fill('tiles', shown.map(tile));
  document.getElementById('tiles-empty').hidden = shown.length > 0 || view.devices.length === 0;
  fill('shown', shown.length === view.devices.length ? '' : `${shown.length} of ${view.devices.length} shown`);
  view.previous = new Map(view.devices.map((device) => [device.name, device.state]));
}

function renderEnvironments() {
  const chosen = controls.env.value;
  const environments = [...new Set(view.devices.map((device) => device.environment).filter(Boolean))].sort();
  fill(
    controls.env,
    h('option', { value: 'all' }, 'all environments'),
    environments.map((env) => h('option', { value: env }, env)),
  );
  controls.env.value = environments.includes(chosen) ? chosen : 'all';
}

function setClassFilter(id) {
  controls.cls.value = controls.cls.value === id || id === 'all' ? 'all' : id;
  renderCounts();
  renderTiles();
}

/** Without an event feed, the feed shows the state changes seen between two polls. */
function notePolledChanges(devices) {
  if (!view.polled) return;
  for (const device of devices) {
    const before = view.previous.get(device.name);
    if (before !== undefined && before !== device.state) feed.polled(`device-${device.name}`, before, device.state);
  }
}

async function refresh() {
  try {
    const [devices, requests] = await Promise.all([api.devices(), api.requests(controls.closed.checked)]);
    notePolledChanges(devices);
    Object.assign(view, { devices, requests });
    renderEnvironments();
    renderCounts();
    renderTiles();
    renderRequests(requests, scheduleRefresh);
    updateDeviceChoices(form, devices);
  } catch (error) {
    toast(`refresh failed: ${error.message}`, 'error');
  }
}

const scheduleRefresh = debounce(refresh, 150);
const feed = createFeed();
const form = setUpRequestForm(scheduleRefresh);

for (const { id, label } of DEVICE_CLASSES) controls.cls.append(h('option', { value: id }, label));
controls.search.addEventListener('input', renderTiles);
controls.cls.addEventListener('change', () => (renderCounts(), renderTiles()));
controls.env.addEventListener('change', renderTiles);
controls.closed.addEventListener('change', refresh);
document.getElementById('power-trouble').addEventListener('click', togglePowerTroubleOnly);
fill('server', location.host);
setUpTokenButton();
refresh();
const pools = startPools();
const tasks = startTasks();
const clusters = startClusters();
startLive({
  onEvent: (event) => {
    feed.event(event);
    if (changesLists(event.type ?? '')) scheduleRefresh();
    if (/^(Vm|Pool|DeviceHolder)/.test(event.type ?? '')) pools.changed();
    if (/^Task/.test(event.type ?? '')) tasks.changed();
    if (isCommissaireEvent(event.type ?? '')) clusters.changed();
  },
  onResync: () => {
    view.polled = document.getElementById('live').dataset.mode === 'polling';
    scheduleRefresh();
    pools.changed();
    tasks.changed();
    clusters.changed();
  },
});
