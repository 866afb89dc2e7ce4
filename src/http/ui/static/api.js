// labpool's public API as the dashboard uses it: same origin, JSON in and out, errors as ApiError.

import { authToken } from './token.js';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return { error: text };
  }
}

async function call(method, path, body) {
  const init = { method, headers: { accept: 'application/json' } };
  // Only changes need a token; reads never send it.
  if (method !== 'GET' && authToken() !== '') init.headers['x-auth-token'] = authToken();
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  const json = text === '' ? {} : parseJson(text);
  if (!response.ok) {
    const message = json.error ?? json.detail ?? json.title ?? `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message);
  }
  return json;
}

const seg = encodeURIComponent;

export const api = {
  devices: async () => (await call('GET', '/api/device/list/?details=1')).devices,
  requests: async (includeClosed) => (await call('GET', `/api/request/list/${includeClosed ? '?include_closed=1' : ''}`)).requests,
  images: async () => (await call('GET', '/api/image/list/')).images,
  deviceLog: async (name, limit = 300) => (await call('GET', `/api/device/${seg(name)}/log/?limit=${limit}`)).log,
  deviceStatus: (name) => call('GET', `/api/device/${seg(name)}/status/`),
  deviceHistory: async (name) => (await call('GET', `/api/device/${seg(name)}/history/`)).history,
  requestDevice: (device, body) => call('POST', `/api/device/${seg(device)}/request/`, body),
  renew: (id, duration) => call('POST', `/api/request/${seg(id)}/renew/`, { duration }),
  returnRequest: (id) => call('POST', `/api/request/${seg(id)}/return/`),
  powerCycle: (name) => call('POST', `/api/device/${seg(name)}/power-cycle/`, {}),
  forceState: (name, from, to) => call('POST', `/api/device/${seg(name)}/state-change/${seg(from)}/to/${seg(to)}/`),
  setComments: (name, comments) => call('POST', `/api/device/${seg(name)}/set-comments/`, { comments }),
};

/** `fn` after `waitMs` of quiet, but at least every `maxWaitMs` while calls keep coming. */
export function debounce(fn, waitMs, maxWaitMs = 1000) {
  let timer = null;
  let firstCallAt = null;
  return () => {
    const now = Date.now();
    firstCallAt ??= now;
    clearTimeout(timer);
    const delay = Math.max(0, Math.min(waitMs, firstCallAt + maxWaitMs - now));
    timer = setTimeout(() => {
      firstCallAt = null;
      fn();
    }, delay);
  };
}

/** How often a card polls its read-only endpoint, besides the refreshes live events ask for. */
const CARD_POLL_MS = 2_000;

/**
 * Keeps the card `cardId` fresh: `update(card)` now, then every {@link CARD_POLL_MS}, and soon after
 * each `changed()` (a live event of its kind). A failed update keeps the last picture; the next tries again.
 */
export function pollCard(cardId, update) {
  const card = document.getElementById(cardId);
  let timer = null;
  const refresh = async () => {
    clearTimeout(timer);
    try {
      await update(card);
    } catch {
      // The last picture stays.
    } finally {
      timer = setTimeout(refresh, CARD_POLL_MS);
    }
  };
  void refresh();
  return { changed: debounce(refresh, 150, 500) };
}
