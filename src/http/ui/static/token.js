// The API token the dashboard's changes carry (`X-Auth-Token`), for servers whose writes need one
// (labpool's own routes with users configured, MozPool's with security.mozpoolWritesNeedToken).
// Kept for this browser tab only; get one from vmpooler's `POST /api/v1/token`.

const KEY = 'labpool.token';

/** The token to send, or '' when none is set. */
export function authToken() {
  return sessionStorage.getItem(KEY) ?? '';
}

function show(button) {
  const set = authToken() !== '';
  button.dataset.set = String(set);
  button.textContent = set ? 'token ✓' : 'token';
}

/** The header's token button: asks for a token (empty forgets it) and shows whether one is set. */
export function setUpTokenButton() {
  const button = document.getElementById('token');
  if (button === null) return;
  button.addEventListener('click', () => {
    const token = prompt('API token (X-Auth-Token) for changes; empty to forget it:', '');
    if (token === null) return;
    if (token.trim() === '') sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, token.trim());
    show(button);
  });
  show(button);
}
