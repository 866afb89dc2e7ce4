import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApp } from '../../src/http/app.js';
import { UI_STATIC_DIR } from '../../src/http/ui/ui-routes.js';
import { listen, type ListeningServer } from '../../src/http/server.js';
import { loadConfig } from '../../src/config/config.js';
import { vmpoolerDialect } from '../../src/dialects/vmpooler/vmpooler-dialect.js';
import { findFreeUdpPort } from '../support/free-port.js';
import { startSimLabpool, type SimLabpool } from '../support/sim-labpool.js';
import { createTestInventory, startTestLab, type TestLab } from '../support/lab-harness.js';
import { driveSecondStages } from '../support/second-stage.js';
import { waitFor } from '../support/wait-for.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SKIP_WITHOUT_CHROMIUM = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (Debian package chromium: apt-get install chromium); the dashboard's browser test needs it`;
const RESULTS_DIR = fileURLToPath(new URL('../../test-results/', import.meta.url));
const DOCS_SCREENSHOT = fileURLToPath(new URL('../../docs/dashboard.png', import.meta.url));
/** The README's screenshot is rewritten only when missing or asked for, so a test run leaves the work tree clean. */
const UPDATE_DOCS_SCREENSHOT = process.env['UPDATE_DOCS_SCREENSHOT'] === '1' || !existsSync(DOCS_SCREENSHOT);
/** The last device of the second simulated PDU, as sim-0024 is in the default 24-device lab: its outlet is dead. */
const DEAD_OUTLET_DEVICE = 'sim-0008';

/**
 * True when every tile whose state is written over more than one line breaks only after an
 * underscore, and at least one is (so the check saw some wrapping). Runs in the page.
 */
const STATES_BREAK_AT_UNDERSCORES = `(() => {
  const lineBreaksOf = (element) => {
    const range = document.createRange();
    const chars = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      for (let i = 0; i < node.length; i++) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        chars.push({ char: node.data[i], top: range.getClientRects()[0]?.top ?? 0 });
      }
    }
    return chars.filter((each, i) => i > 0 && each.top > chars[i - 1].top + 2).map((each) => chars[chars.indexOf(each) - 1].char);
  };
  const breaks = [...document.querySelectorAll('.tile-state')].map(lineBreaksOf);
  return breaks.some((before) => before.length > 0) && breaks.every((before) => before.every((char) => char === '_'));
})()`;

/**
 * Waits until `expression` holds in the page. Not `page.waitForFunction`: its polling evaluates the
 * expression with eval inside the page, which the dashboard's Content-Security-Policy refuses (a loaded
 * machine, where the first check fails, showed it); `page.evaluate` goes through the debugger protocol.
 */
async function waitInPage(page: Page, expression: string, options: { timeout?: number } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeout ?? 15_000);
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`not true in the page within ${options.timeout ?? 15_000} ms: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Collects a page's uncaught errors and the Content-Security-Policy refusals Chromium reports on its
 * console ("Refused to execute inline script because it violates the following Content Security Policy…").
 */
function watchPage(page: Page, pageErrors: string[], cspViolations: string[]): void {
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
}

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

  it('serves every file with a Content-Security-Policy: its own scripts and styles only, no inline code, no eval', async () => {
    const files = readdirSync(UI_STATIC_DIR);
    assert.ok(files.length >= 10, files.join());
    for (const file of ['', ...files]) {
      const policy = (await get(`/ui/${file}`)).headers.get('content-security-policy') ?? '';
      assert.match(policy, /(^|; )script-src 'self'(;|$)/, file);
      assert.match(policy, /(^|; )style-src 'self'(;|$)/, file);
      assert.match(policy, /(^|; )default-src 'none'(;|$)/, file);
      assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|\*/, file);
    }
  });

  it('keeps no inline script, handler or style in its pages, which the policy would refuse', () => {
    for (const page of readdirSync(UI_STATIC_DIR).filter((file) => file.endsWith('.html'))) {
      const html = readFileSync(`${UI_STATIC_DIR}${page}`, 'utf8');
      assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/i, `${page}: inline <script>`);
      assert.doesNotMatch(html, /\son[a-z]+\s*=/i, `${page}: inline event handler`);
      assert.doesNotMatch(html, /\sstyle\s*=|<style[\s>]/i, `${page}: inline style`);
    }
  });

  it('serves nothing outside its folder', async () => {
    for (const path of ['/ui/..%2Fui-routes.ts', '/ui/..%2F..%2Fapp.ts', '/ui/%2e%2e/app.ts', '/ui/.hidden.js', '/ui/missing.js', '/ui/ui-routes.ts']) {
      assert.equal((await get(path)).status, 404, path);
    }
  });
});

describe('dashboard in headless Chromium', { skip: SKIP_WITHOUT_CHROMIUM, timeout: 90_000 }, () => {
  let lab: SimLabpool;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];
  const tile = (device: string) => page.locator(`.tile[data-device="${device}"]`);
  const post = (path: string, body?: unknown) => fetch(`${lab.labpool.url}${path}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });

  before(async () => {
    const defaults = loadConfig({ env: {} });
    const faults = { ...defaults.sim.faults, [DEAD_OUTLET_DEVICE]: { deadOutlet: true } };
    const sim = { ...defaults.sim, devices: 8, stepDelayMs: 30, pduPorts: [await findFreeUdpPort(), await findFreeUdpPort()], faults };
    [lab, browser] = await Promise.all([startSimLabpool(8, { sim }), chromium.launch({ executablePath: CHROMIUM, headless: true, chromiumSandbox: false, args: CHROMIUM_ARGS })]);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(15_000);
    watchPage(page, pageErrors, cspViolations);
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
    await waitInPage(page, "Number(document.querySelector('#count-free')?.dataset.count) >= 3", { timeout: 20_000 });
    assert.equal(await page.locator('#count-all').getAttribute('data-count'), '8');
  });

  it('marks a device whose PDU outlet is dead with power trouble, and counts it in the header', async () => {
    // Its self-test's power cycle fails at once (the outlet does not switch); the state's timeout retries in 60 s.
    await tile(DEAD_OUTLET_DEVICE).and(page.locator('[data-power="trouble"]')).locator('.tile-power').waitFor();
    await page.locator('#power-trouble[data-count="1"]').waitFor();
    assert.match((await tile(DEAD_OUTLET_DEVICE).locator('.tile-power').getAttribute('title')) ?? '', /failed in a row: .*outlet/);
    assert.equal(await page.locator('.tile[data-power="trouble"]').count(), 1, 'the devices whose outlets work have no mark');
    const { devices } = (await (await fetch(`${lab.labpool.url}/api/device/list/?details=1`)).json()) as { devices: { name: string; power_trouble?: { failed_cycles: number; last_error: string } }[] };
    const troubled = devices.filter((device) => device.power_trouble !== undefined);
    assert.deepEqual(
      troubled.map((device) => device.name),
      [DEAD_OUTLET_DEVICE],
    );
    assert.ok((troubled[0]?.power_trouble?.failed_cycles ?? 0) >= 1);
    await page.click('#power-trouble');
    await waitInPage(page, `[...document.querySelectorAll('.tile')].map((t) => t.dataset.device).join() === '${DEAD_OUTLET_DEVICE}'`);
    await page.click('#power-trouble');
    await waitInPage(page, "document.querySelectorAll('.tile').length === 8");
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
    await tile(device)
      .and(page.locator(`[data-request="${id}"][data-class="inuse"]`))
      .waitFor();
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
    await waitInPage(page, "[...document.querySelectorAll('.tile')].map((t) => t.dataset.device).join() === 'sim-0004'");
    await page.fill('#search', '');
    await page.selectOption('#filter-class', 'inuse');
    // Devices change class meanwhile (the android request above finishes imaging): so compare the tiles
    // with the in-use count of the same render, not with a number fixed in advance.
    await waitInPage(
      page,
      `(() => {
      const classes = [...document.querySelectorAll('.tile')].map((t) => t.dataset.class);
      const inUse = Number(document.querySelector('#count-inuse')?.dataset.count);
      return inUse >= 1 && classes.length === inUse && classes.every((c) => c === 'inuse');
    })()`,
    );
    await page.selectOption('#filter-class', 'all');
    await waitInPage(page, "document.querySelectorAll('.tile').length === 8");
  });

  it('wraps a state name in a narrow tile only after an underscore, never mid-word', async () => {
    const narrow = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    narrow.setDefaultTimeout(15_000);
    watchPage(narrow, pageErrors, cspViolations);
    await narrow.goto(`${lab.labpool.url}/ui/`);
    await narrow.locator('.tile').nth(7).waitFor();
    // Tiles narrower than the longest states here (failed_self_test, pxe_power_cycling), as on a small screen.
    // Through the CSSOM: the page's policy refuses a <style> tag.
    await narrow.evaluate("document.getElementById('tiles').style.setProperty('grid-template-columns', 'repeat(auto-fill, 124px)', 'important')");
    await waitInPage(narrow, STATES_BREAK_AT_UNDERSCORES);
    await narrow.screenshot({ path: `${RESULTS_DIR}dashboard-narrow.png` });
    await narrow.close();
  });

  it('shows an unknown device as not found, without power-cycle, force or comment controls', async () => {
    await page.goto(`${lab.labpool.url}/ui/device.html?name=nosuch`);
    await page.locator('#device-facts .empty').waitFor();
    assert.match((await page.locator('#device-facts .empty').textContent()) ?? '', /not found|no device/);
    for (const control of ['#power-cycle', '#force-form', '#comments-form']) assert.equal(await page.locator(control).isVisible(), false, control);
    await page.screenshot({ path: `${RESULTS_DIR}device-unknown.png` });
    await page.goto(`${lab.labpool.url}/ui/`);
    await page.locator('.tile').nth(7).waitFor();
  });

  it('shows the power trouble on the device page', async () => {
    await page.goto(`${lab.labpool.url}/ui/device.html?name=${DEAD_OUTLET_DEVICE}`);
    await page.locator('dd[data-fact="power trouble"]', { hasText: /power cycles? failed in a row since .*outlet/ }).waitFor();
    await page.locator('#power-cycle').waitFor();
    await page.screenshot({ path: `${RESULTS_DIR}device-power-trouble.png` });
    await page.goto(`${lab.labpool.url}/ui/`);
    await page.locator('.tile').nth(7).waitFor();
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
    watchPage(polling, pageErrors, cspViolations);
    await polling.route('**/api/events/**', (route) => route.fulfill({ status: 404, contentType: 'application/json', body: '{"error":"not found"}' }));
    await polling.goto(`${lab.labpool.url}/ui/`);
    await polling.locator('#live[data-mode="polling"]').waitFor();
    const device = (await polling.locator('.tile[data-class="free"]').first().getAttribute('data-device')) ?? '';
    await page.goto(`${lab.labpool.url}/ui/device.html?name=${device}`);
    await waitInPage(page, "document.querySelector('#force-from')?.value === 'ready'");
    await page.fill('#force-to', 'locked_out');
    await page.click('#force-form button[type=submit]');
    await page.locator('#device-state', { hasText: 'locked_out' }).waitFor();
    await polling.locator(`.tile[data-device="${device}"][data-class="maintenance"]`).waitFor();
    await polling.locator(`#feed li[data-stream="device-${device}"]`, { hasText: 'locked_out' }).waitFor();
    await polling.close();
    assert.deepEqual(pageErrors, []);
  });

  it('runs under its Content-Security-Policy: no refusal reported by any page above, an inline script refused', async () => {
    assert.deepEqual(cspViolations, [], 'refusals while the tests above ran');
    await page.goto(`${lab.labpool.url}/ui/`);
    await page.locator('.tile').nth(7).waitFor();
    // The policy reached the browser, and a refusal would be seen: an inline script is refused, and reported.
    await page.evaluate("document.head.append(Object.assign(document.createElement('script'), { textContent: 'window.inlineScriptRan = true' }))");
    await waitFor(() => cspViolations.length > 0);
    assert.equal(await page.evaluate('window.inlineScriptRan === true'), false, 'the inline script ran');
    assert.equal(cspViolations.length, 1, 'the refused inline script is reported on the console');
    assert.match(cspViolations[0] ?? '', /inline script/);
  });
});

describe("dashboard: vmpooler's pools and who holds their devices", { skip: SKIP_WITHOUT_CHROMIUM, timeout: 90_000 }, () => {
  const POOL = 'ubuntu-x86_64';
  let lab: TestLab;
  let stopStages: () => void;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];
  const pool = () => page.locator(`#pools .pool[data-pool="${POOL}"]`);

  before(async () => {
    const config = { vmpooler: { pools: [{ name: POOL, alias: ['ubuntu'], image: 'ubuntu', size: 2, reimageConcurrency: 2 }] } };
    [lab, browser] = await Promise.all([startTestLab(createTestInventory(3), { config }), chromium.launch({ executablePath: CHROMIUM, headless: true, chromiumSandbox: false, args: CHROMIUM_ARGS })]);
    stopStages = driveSecondStages(lab.labpool);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(15_000);
    watchPage(page, pageErrors, cspViolations);
  });
  after(async () => {
    stopStages?.();
    await browser?.close();
    await lab?.labpool.stop();
  });

  it('serves the pools read-only under /labpool/ with problem+json errors', async () => {
    const list = await fetch(`${lab.url}/labpool/pools/`);
    assert.equal(list.status, 200);
    const { pools } = (await list.json()) as { pools: { name: string; size: number; alias: string[] }[] };
    assert.deepEqual(
      pools.map((each) => [each.name, each.size, each.alias]),
      [[POOL, 2, ['ubuntu']]],
    );
    const missing = await fetch(`${lab.url}/labpool/pools/nope`);
    assert.equal(missing.status, 404);
    assert.match(missing.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(((await missing.json()) as { status: number }).status, 404);
  });

  it('shows each pool filling: ready against its size', async () => {
    await page.goto(`${lab.url}/ui/`);
    await pool().and(page.locator('[data-ready="2"][data-size="2"]')).waitFor({ timeout: 30_000 });
    assert.equal(await pool().locator('.pool-count[data-queue="ready"] strong').textContent(), '2');
    // The bar's segments are sized through the CSSOM, which the policy allows (a style attribute it would refuse).
    // Both measured in one go: each poll redraws the card, so two separate reads may see two different bars.
    const [segment, bar] = await page.evaluate<[number, number]>(`(() => {
      const segment = document.querySelector('#pools .pool[data-pool="${POOL}"] .pool-seg.seg-ready');
      return [segment?.getBoundingClientRect().width ?? -1, segment?.parentElement?.getBoundingClientRect().width ?? -1];
    })()`);
    assert.ok(bar > 0 && Math.abs(segment - bar) < 1, `segment ${segment} of bar ${bar}`);
    // The lab's tiles and counts see the pool's ready devices held: not free for any other API family.
    await waitInPage(page, `document.querySelectorAll('#tiles .tile[data-class="inuse"][data-holder="pool ${POOL}"]').length === 2`);
    await page.locator('#count-free[data-count="1"]').waitFor();
    await page.locator('#count-inuse[data-count="2"]').waitFor();
  });

  it('shows which device is checked out to which VM, and drops it once deleted', async () => {
    const checkout = (await (await fetch(`${lab.url}/api/v1/vm/ubuntu`, { method: 'POST' })).json()) as { ubuntu: { hostname: string } };
    const device = checkout.ubuntu.hostname;
    const vm = lab.labpool.part(vmpoolerDialect).lab.context.pools.vmOnDevice(device)?.id ?? '';
    await pool().locator(`.pool-vms tr[data-device="${device}"][data-vm="${vm}"]`).waitFor();
    await pool().and(page.locator('[data-running="1"]')).waitFor();
    assert.match((await pool().locator(`tr[data-device="${device}"]`).textContent()) ?? '', /no token/);
    const tile = page.locator(`#tiles .tile[data-device="${device}"][data-class="inuse"][data-holder="vm ${vm}"]`);
    await tile.waitFor();
    assert.equal(await tile.locator('.tile-badge').textContent(), `vm ${vm}`);
    const body = (await (await fetch(`${lab.url}/labpool/pools/${POOL}`)).json()) as { running: number; checked_out: { device: string; vm: string }[] };
    assert.deepEqual(
      body.checked_out.map((each) => [each.device, each.vm]),
      [[device, vm]],
    );
    mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: `${RESULTS_DIR}dashboard-pools.png` });

    assert.equal((await fetch(`${lab.url}/api/v1/vm/${device}`, { method: 'DELETE' })).status, 200);
    await pool().locator(`tr[data-device="${device}"]`).waitFor({ state: 'detached' });
    await pool().and(page.locator('[data-running="0"]')).waitFor();
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(cspViolations, []);
  });
});
