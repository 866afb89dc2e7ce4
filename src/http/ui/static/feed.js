// The lab page's live event list: events from the feed, or state changes seen by polling.

import { clock, fill, h } from './dom.js';
import { eventClass, streamSubject, summarize } from './states.js';

const MAX_ITEMS = 80;
/** Chatty bookkeeping events that would drown the feed. */
const QUIET = new Set(['DeviceLogged', 'RequestLogged', 'BootStageEntered', 'BootDeviceReported']);

/** A Drydock task's event: on its node's line when it names one (a node task's), else by the start of its UUID. */
function taskSubject(id, data) {
  if (typeof data?.node === 'string') return h('a', { class: 'feed-subject', href: `device.html?name=${encodeURIComponent(data.node)}`, title: `task ${id}` }, data.node);
  return h('span', { class: 'feed-subject', title: `task ${id}` }, `task ${id.slice(0, 8)}`);
}

/** Commissaire's streams by category: what each names (`commhost-10.0.0.5` → `host 10.0.0.5`). */
const COMMISSAIRE_NOUNS = { commhost: 'host', commcluster: 'cluster', commnetwork: 'network', commcm: 'container manager' };

/** A Commissaire stream's line: a host's registration links its device; an operation reads `deploy of alpha`. */
function commissaireSubject(kind, name, data) {
  if (kind === 'commhost' && typeof data?.device === 'string')
    return h('a', { class: 'feed-subject', href: `device.html?name=${encodeURIComponent(data.device)}`, title: `host ${name}` }, `host ${name}`);
  if (kind === 'clusterop') {
    const dash = name.indexOf('-');
    return h('span', { class: 'feed-subject', title: `operation ${name}` }, `${name.slice(0, dash)} of ${name.slice(dash + 1)}`);
  }
  return h('span', { class: 'feed-subject' }, `${COMMISSAIRE_NOUNS[kind]} ${name}`);
}

function subjectLink(stream, data) {
  const { kind, name: subject } = streamSubject(stream);
  if (kind === 'task') return taskSubject(subject, data);
  if (kind === 'clusterop' || Object.hasOwn(COMMISSAIRE_NOUNS, kind)) return commissaireSubject(kind, subject, data);
  // A boot's stream is `boot-<device>.<n>`: it belongs on the device's line.
  const name = kind === 'boot' ? subject.replace(/\.\d+$/, '') : subject;
  if (kind === 'device' || kind === 'boot') return h('a', { class: 'feed-subject', href: `device.html?name=${encodeURIComponent(name)}` }, name);
  if (kind === 'request') return h('span', { class: 'feed-subject' }, `request ${name}`);
  return h('span', { class: 'feed-subject' }, stream);
}

function render(list, entry) {
  const item = h(
    'li',
    { class: `feed-item ev-${eventClass(entry.type, entry.data)}`, dataset: { type: entry.type, stream: entry.stream } },
    h('time', { datetime: new Date(entry.time).toISOString() }, clock(entry.time)),
    subjectLink(entry.stream, entry.data),
    h('span', { class: 'feed-type' }, entry.type),
    h('span', { class: 'feed-text' }, summarize(entry.type, entry.data)),
  );
  list.prepend(item);
  while (list.children.length > MAX_ITEMS) list.lastElementChild.remove();
}

export function createFeed() {
  const list = document.getElementById('feed');
  let total = 0;
  const add = (entry) => {
    if (QUIET.has(entry.type)) return;
    total += 1;
    render(list, entry);
    document.getElementById('feed-empty').hidden = true;
    fill('feed-count', `${total} event${total === 1 ? '' : 's'}`);
  };
  return {
    /** An event from /api/events/. */
    event: (event) => add({ type: event.type, stream: event.stream ?? '', data: event.data, time: event.time ?? Date.now() }),
    /** A state change noticed by comparing two polls (no event feed on this server). */
    polled: (stream, from, to) => add({ type: 'DeviceStateEntered', stream, data: { from, to, trigger: 'polled' }, time: Date.now() }),
  };
}
