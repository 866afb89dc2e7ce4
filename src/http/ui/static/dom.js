// Small DOM and formatting helpers shared by the dashboard's pages. Text always goes in as text.

/** `h('a', { href, class: 'x', style: { width: '5%' }, onclick }, 'text', child)`: an element; false/null children are skipped. */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else if (key === 'class') element.className = value;
    else if (key === 'dataset') Object.assign(element.dataset, value);
    // Through the CSSOM: the Content-Security-Policy refuses `style` attributes.
    else if (key === 'style') Object.assign(element.style, value);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

/** `ubuntu_downloading` → `ubuntu_`, <wbr>, `downloading`: a narrow box wraps a state name at its underscores only. */
export function breakAfterUnderscores(text) {
  return String(text)
    .split(/(?<=_)/)
    .flatMap((part, i) => (i === 0 ? [part] : [document.createElement('wbr'), part]));
}

/** Replaces the children of `#id` (or of the element) with `children`. */
export function fill(target, ...children) {
  const element = typeof target === 'string' ? document.getElementById(target) : target;
  element.replaceChildren(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

const pad = (n) => String(n).padStart(2, '0');

/** Local wall-clock time `HH:MM:SS` of an ISO string or epoch ms. */
export function clock(time) {
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return '';
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** Local `YYYY-MM-DD HH:MM:SS`. */
export function dateTime(time) {
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return String(time ?? '');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${clock(date)}`;
}

/** "in 59 min", "3 h ago"… */
export function relative(time, nowMs = Date.now()) {
  const ms = new Date(time).getTime() - nowMs;
  if (Number.isNaN(ms)) return '';
  const abs = Math.abs(ms);
  const text =
    abs < 60_000 ? `${Math.round(abs / 1000)} s` : abs < 3_600_000 ? `${Math.round(abs / 60_000)} min` : abs < 172_800_000 ? `${(abs / 3_600_000).toFixed(1)} h` : `${Math.round(abs / 86_400_000)} d`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

/** Shows a short message in the page's toast area. */
export function toast(message, kind = 'info') {
  const area = document.getElementById('toasts');
  if (area === null) return;
  const item = h('div', { class: `toast toast-${kind}`, role: 'status' }, message);
  area.append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 4000);
}

/** Runs an API action from a button: disables it meanwhile, reports success or the API's error. */
export async function runAction(button, action, success) {
  if (button) button.disabled = true;
  try {
    const result = await action();
    if (success) toast(typeof success === 'function' ? success(result) : success, 'ok');
    return result;
  } catch (error) {
    toast(error.message ?? String(error), 'error');
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}
