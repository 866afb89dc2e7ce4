// The lab page's requests table (renew, return) and its "request a device" form.

import { api } from './api.js';
import { fill, h, relative, runAction, toast } from './dom.js';
import { requestClass } from './states.js';

const RENEW_S = 3600;

function deviceLink(name) {
  if (!name) return h('span', { class: 'muted' }, '—');
  return h('a', { href: `device.html?name=${encodeURIComponent(name)}` }, name);
}

function actions(request, onChange) {
  if (request.state === 'closed' || request.state === 'expired') return [];
  const renew = h('button', { class: 'small', title: `renew for ${RENEW_S / 3600} h from now`, 'data-action': 'renew' }, 'renew');
  const ret = h('button', { class: 'small danger', title: 'return the device', 'data-action': 'return' }, 'return');
  renew.onclick = () => runAction(renew, () => api.renew(request.id, RENEW_S), `request ${request.id} renewed`).then(onChange);
  ret.onclick = () => runAction(ret, () => api.returnRequest(request.id), `request ${request.id} returned`).then(onChange);
  return [renew, ret];
}

function row(request, onChange) {
  const expires = request.state === 'closed' ? '' : relative(request.expires);
  return h(
    'tr',
    { dataset: { request: request.id, state: request.state } },
    h('td', { class: 'num' }, String(request.id)),
    h('td', {}, deviceLink(request.assigned_device)),
    h('td', { class: 'ellipsis', title: request.assignee }, request.assignee),
    h('td', {}, h('span', { class: `pill pill-${requestClass(request)}` }, request.state)),
    h('td', { class: 'muted' }, request.device_state || '—'),
    h('td', { title: request.expires, class: 'nowrap' }, expires),
    h('td', { class: 'actions' }, actions(request, onChange)),
  );
}

/** Renders the requests, newest first. */
export function renderRequests(requests, onChange) {
  const sorted = [...requests].sort((a, b) => b.id - a.id);
  fill(
    document.querySelector('#requests tbody'),
    sorted.map((request) => row(request, onChange)),
  );
  document.getElementById('requests-empty').hidden = sorted.length > 0;
}

/** Keeps the form's device choices in step with the lab, keeping the current choice. */
export function updateDeviceChoices(form, devices) {
  const select = form.elements.namedItem('device');
  const chosen = select.value;
  const options = devices.map((device) => h('option', { value: device.name }, `${device.name} (${device.state})`));
  fill(select, h('option', { value: 'any' }, 'any free device'), options);
  select.value = devices.some((device) => device.name === chosen) ? chosen : 'any';
}

async function loadImages(form) {
  const images = await api.images();
  const select = form.elements.namedItem('image');
  fill(
    select,
    images.filter((image) => !image.hidden).map((image) => h('option', { value: image.name }, image.name)),
  );
}

async function submit(form, onChange) {
  const data = new FormData(form);
  const body = { assignee: data.get('assignee'), duration: Number(data.get('duration')), image: data.get('image') };
  const result = form.querySelector('.form-result');
  const answer = await runAction(form.querySelector('button[type=submit]'), () => api.requestDevice(data.get('device'), body));
  if (answer === undefined) return;
  const { id, assigned_device: device } = answer.request;
  fill(result, `Request ${id} opened`, device ? [' on ', deviceLink(device)] : ' (finding a device)', '.');
  result.dataset.request = id;
  onChange();
}

/** Wires the form: images from /api/image/list/, submit through /api/device/{any|name}/request/. */
export function setUpRequestForm(onChange) {
  const form = document.getElementById('request-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit(form, onChange);
  });
  loadImages(form).catch((error) => toast(`images: ${error.message}`, 'error'));
  return form;
}
