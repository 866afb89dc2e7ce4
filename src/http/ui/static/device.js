// One device: its facts, actions (power-cycle, force a state, comments), log and history timeline.

import { api, debounce } from './api.js';
import { clock, dateTime, fill, h, runAction } from './dom.js';
import { setUpTokenButton } from './token.js';
import { startLive } from './live.js';
import { FORCEABLE_STATES, deviceClass, deviceHolder, eventClass, summarize } from './states.js';

const name = new URLSearchParams(location.search).get('name') ?? location.hash.slice(1);
const deviceUrl = (device) => `device.html?name=${encodeURIComponent(device)}`;
let current = null;

function renderFacts(device) {
  const facts = [
    ['state', device.state],
    ['held by', deviceHolder(device) ?? '—'],
    ['image', device.image || '—'],
    ['environment', device.environment || '—'],
    ['fqdn', device.fqdn],
    ['MAC', device.mac_address],
    ['power', device.relay_info],
    ['imaging server', device.imaging_server],
    ['comments', device.comments || '—'],
  ];
  if (device.power_trouble) facts.splice(7, 0, ['power trouble', powerTroubleText(device.power_trouble)]);
  fill(
    'device-facts',
    facts.flatMap(([term, value]) => [h('dt', {}, term), h('dd', { dataset: { fact: term } }, value)]),
  );
  const pill = fill('device-state', device.state);
  pill.className = `pill pill-${deviceClass(device)}`;
  document.getElementById('force-from').value = device.state;
  const comments = document.getElementById('comments');
  if (document.activeElement !== comments) comments.value = device.comments;
}

function powerTroubleText({ failed_cycles: failed, last_error: error, since }) {
  return `${failed} power cycle${failed === 1 ? '' : 's'} failed in a row since ${dateTime(since)}: ${error}`;
}

/** Power-cycle, force and comments act on a device: none is offered until the device is known to exist. */
function showActions(shown) {
  document.getElementById('device-actions').hidden = !shown;
}

function renderLog(log) {
  const rows = [...log]
    .reverse()
    .map((line) => h('tr', {}, h('td', { class: 'nowrap', title: line.timestamp }, dateTime(line.timestamp)), h('td', { class: 'muted' }, line.source), h('td', {}, line.message)));
  fill(document.querySelector('#log tbody'), rows);
  fill('log-count', `${log.length} lines`);
}

function historyItem(entry) {
  const data = entry.data ?? {};
  const actor = entry.actor ?? entry.metadata?.actor;
  const correlation = entry.cause?.correlationId ?? entry.metadata?.correlationId;
  const cause = typeof correlation === 'string' ? correlation.slice(0, 8) : null;
  return h(
    'li',
    { class: `tl-item ev-${eventClass(entry.type ?? '', data)}`, dataset: { type: entry.type } },
    h('time', { title: String(entry.time ?? '') }, clock(entry.time)),
    h('span', { class: 'tl-type' }, entry.type),
    h('span', { class: 'tl-text' }, summarize(entry.type, data)),
    (actor || cause) && h('span', { class: 'tl-meta muted' }, [actor && `by ${actor}`, cause && `correlation ${cause}`].filter(Boolean).join(' · ')),
  );
}

async function loadHistory() {
  const note = document.getElementById('history-note');
  try {
    const history = await api.deviceHistory(name);
    fill('history', [...history].reverse().map(historyItem));
    fill('history-count', `${history.length} events`);
    note.hidden = true;
  } catch (error) {
    const missing = error.status === 404 && current !== null;
    note.textContent = missing ? 'This labpool serves no device history (GET /api/device/…/history/ answered 404).' : `History: ${error.message}`;
    note.hidden = false;
  }
}

async function refresh() {
  try {
    const [devices, log] = await Promise.all([api.devices(), api.deviceLog(name)]);
    current = devices.find((device) => device.name === name) ?? null;
    showActions(current !== null);
    if (current === null) throw new Error(`no device ${name}`);
    renderFacts(current);
    renderLog(log);
    await loadHistory();
  } catch (error) {
    // A 404 means no such device (any more); another failure (server away) leaves the page as it was.
    if (error.status === 404) {
      current = null;
      showActions(false);
    }
    fill('device-facts', h('p', { class: 'empty' }, error.message));
  }
}

function setUpActions(scheduleRefresh) {
  const button = document.getElementById('power-cycle');
  button.onclick = () => runAction(button, () => api.powerCycle(name), `${name}: power cycle requested`).then(scheduleRefresh);
  fill(
    'force-states',
    FORCEABLE_STATES.map((state) => h('option', { value: state })),
  );
  const force = document.getElementById('force-form');
  force.addEventListener('submit', (event) => {
    event.preventDefault();
    const to = document.getElementById('force-to').value.trim();
    const from = document.getElementById('force-from').value;
    runAction(force.querySelector('button'), () => api.forceState(name, from, to), `${name}: ${from} → ${to}`).then(scheduleRefresh);
  });
  const comments = document.getElementById('comments-form');
  comments.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = document.getElementById('comments').value;
    runAction(comments.querySelector('button'), () => api.setComments(name, text), `${name}: comments saved`).then(scheduleRefresh);
  });
}

document.title = `labpool · ${name}`;
fill('device-name', name);
fill('crumb', ' / ', h('a', { href: deviceUrl(name) }, name));
fill('server', location.host);
setUpTokenButton();
const scheduleRefresh = debounce(refresh, 150);
setUpActions(scheduleRefresh);
refresh();
startLive({
  onEvent: (event) => {
    if (event.stream === `device-${name}` || event.stream?.startsWith(`boot-${name}.`)) scheduleRefresh();
  },
  onResync: scheduleRefresh,
});
