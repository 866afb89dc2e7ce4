import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApp } from '../../src/http/app.js';
import { listen, type ListeningServer } from '../../src/http/server.js';
import { startSimLabpool, type SimLabpool } from '../support/sim-labpool.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SKIP_WITHOUT_CHROMIUM = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (Debian package chromium: apt-get install chromium); the dashboard's browser test needs it`;
const RESULTS_DIR = fileURLToPath(new URL('../../test-results/', import.meta.url));
const DOCS_SCREENSHOT = fileURLToPath(new URL('../../docs/dashboard.png', import.meta.url));
/** The README's screenshot is rewritten only when missing or asked for, so a test run leaves the work tree clean. */
const UPDATE_DOCS_SCREENSHOT = process.env['UPDATE_DOCS_SCREENSHOT'] === '1' || !existsSync(DOCS_SCREENSHOT);

describe('dashboard files', () => {
  let server: ListeningServer;
  before(async () => {
    server = await listen(createApp({ version: 'test', serverId: '127.0.0.1:0' }), '127.0.0.1', 0);
  });
  after(() => server?.close());
  const get = (path: string) => fetch(`${server.url}${path}`, { redirect: 'manual' });

  it('redirects / and /ui to /ui/ and serves its files with their content types', async () => {
    for (const path of ['/', '/ui']) {
      const response = await get(path);
      assert.equal(response.status, 302);
      assert.equal(response.headers.get('location'), '/ui/');
    }
    const expected = { '/ui/': 'text/html', '/ui/device.html': 'text/html', '/ui/style.css': 'text/css', '/ui/lab.js': 'text/javascript' };
    for (const [path, type] of Object.entries(expected)) {
      const response = await get(path);
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('content-type') ?? '', new RegExp(`^${type}`), path);
    }
  });

  it('serves nothing outside its folder', async () => {
    for (const path of ['/ui/..%2Fui-routes.ts', '/ui/..%2F..%2Fapp.ts', '/ui/%2e%2e/app.ts', '/ui/.hidden.js', '/ui/missing.js', '/ui/ui-routes.ts']) {
      assert.equal((await get(path)).status, 404, path);
    }
  });
});

describe('dashboard in headless Chromium', { skip: SKIP_WITHOUT_CHROMIUM, timeout: 60_000 }, () => {
  let lab: SimLabpool;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const tile = (device: string) => page.locator(`.tile[data-device="${device}"]`);
  const tileAttributes = async (name: string) => Promise.all((await page.locator('.tile').all()).map((each) => each.getAttribute(name)));
  const post = (path: string, body?: unknown) => fetch(`${lab.labpool.url}${path}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });

  before(async () => {
    [lab, browser] = await Promise.all([startSimLabpool(8), chromium.launch({ executablePath: CHROMIUM, headless: true, chromiumSandbox: false, args: CHROMIUM_ARGS })]);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });
  after(async () => {
    await browser?.close();
    await lab?.stop();
  });

  it('shows the simulated lab as tiles with counts, self-tested devices ready', async () => {
    await page.goto(`${lab.labpool.url}/`);
    assert.match(page.url(), /\/ui\/$/);
    await page.locator('.tile').nth(7).waitFor();
    assert.equal(await page.locator('.tile').count(), 8);
    // The devices self-test first: tiles turn free as they become ready, with no reload.
    await page.waitForFunction("Number(document.querySelector('#count-free')?.dataset.count) >= 3", null, { timeout: 20_000 });
    assert.equal(await page.locator('#count-all').getAttribute('data-count'), '8');
  });

  it('requests a device through the form and sees it arrive live, without a reload', async () => {
    await page.evaluate('window.notReloaded = true');
    const device = (await page.locator('.tile[data-class="free"]').first().getAttribute('data-device')) ?? '';
    await page.selectOption('#request-form select[name=image]', 'ubuntu');
    await page.selectOption('#request-form select[name=device]', device);
    await page.fill('#request-form input[name=assignee]', 'ui-test');
    await page.click('#request-form button[type=submit]');
    const id = await page.locator('#request-result[data-request]').getAttribute('data-request');
    assert.match(id ?? '', /^\d+$/);
    // Imaging takes a few steps after the answer; only the live feed (or polling) brings them.
    await tile(device).and(page.locator(`[data-request="${id}"][data-class="inuse"]`)).waitFor();
    await page.locator(`#requests tr[data-request="${id}"][data-state="ready"]`).waitFor();
    assert.equal(await page.evaluate('window.notReloaded'), true);
  });

  it('sees a request made elsewhere through the API appear in the table and the tiles', async () => {
    const device = (await page.locator('.tile[data-class="free"]').first().getAttribute('data-device')) ?? '';
    const response = await post(`/api/device/${device}/request/`, { assignee: 'api-user', duration: 600, image: 'android' });
    const { request } = (await response.json()) as { request: { id: number } };
    await page.locator(`#requests tr[data-request="${request.id}"]`).waitFor();
    await tile(device).and(page.locator('[data-class="imaging"]')).waitFor();
    await page.locator('#feed li').first().waitFor();
    const mode = await page.locator('#live').getAttribute('data-mode');
    assert.ok(mode === 'live' || mode === 'polling', `feed mode ${mode}`);
    await page.waitForTimeout(400);
    mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: `${RESULTS_DIR}dashboard.png` });
    if (UPDATE_DOCS_SCREENSHOT) await page.screenshot({ path: DOCS_SCREENSHOT });
  });

  it('filters the tiles by search text and by state class', async () => {
    await page.fill('#search', 'sim-0004');
    assert.deepEqual(await tileAttributes('data-device'), ['sim-0004']);
    await page.fill('#search', '');
    await page.selectOption('#filter-class', 'inuse');
    assert.deepEqual(await tileAttributes('data-class'), ['inuse']);
    await page.selectOption('#filter-class', 'all');
  });

  it('opens a device page with its log and history, and saves comments through the API', async () => {
    const device = (await page.locator('.tile[data-class="inuse"]').first().getAttribute('data-device')) ?? '';
    await tile(device).click();
    await page.waitForURL(/device\.html\?name=/);
    await page.locator('#log tbody tr', { hasText: 'pxe_power_cycling' }).first().waitFor();
    await page.locator('#history li, #history-note:not([hidden])').first().waitFor();
    await page.fill('#comments', 'seen by the dashboard test');
    await page.click('#comments-form button[type=submit]');
    await page.locator('dd[data-fact="comments"]', { hasText: 'seen by the dashboard test' }).waitFor();
    await page.click('#power-cycle');
    await page.locator('.toast-ok', { hasText: 'power cycle requested' }).waitFor();
    await page.screenshot({ path: `${RESULTS_DIR}device.png` });
  });

  it('falls back to polling without an event feed, and sees a state forced from a device page', async () => {
    const polling = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    polling.on('pageerror', (error) => pageErrors.push(error.message));
    await polling.route('**/api/events/**', (route) => route.fulfill({ status: 404, contentType: 'application/json', body: '{"error":"not found"}' }));
    await polling.goto(`${lab.labpool.url}/ui/`);
    await polling.locator('#live[data-mode="polling"]').waitFor();
    const device = (await polling.locator('.tile[data-class="free"]').first().getAttribute('data-device')) ?? '';
    await page.goto(`${lab.labpool.url}/ui/device.html?name=${device}`);
    await page.waitForFunction("document.querySelector('#force-from')?.value === 'ready'");
    await page.fill('#force-to', 'locked_out');
    await page.click('#force-form button[type=submit]');
    await page.locator('#device-state', { hasText: 'locked_out' }).waitFor();
    await polling.locator(`.tile[data-device="${device}"][data-class="maintenance"]`).waitFor();
    await polling.locator(`#feed li[data-stream="device-${device}"]`, { hasText: 'locked_out' }).waitFor();
    await polling.close();
    assert.deepEqual(pageErrors, []);
  });
});
