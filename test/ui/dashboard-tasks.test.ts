import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { TASK_EVENT_TYPES } from '../../src/dialects/drydock/domain/task-decider.js';
import { createApp } from '../../src/http/app.js';
import { listen, type ListeningServer } from '../../src/http/server.js';
import { hashPassword } from '../../src/identity/password-hash.js';
import { createTokenOf, send, TEST_USERS, tokenHeader } from '../support/locked-lab.js';
import { startSimLabpool, type SimLabpool } from '../support/sim-labpool.js';
import { waitFor } from '../support/wait-for.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SKIP_WITHOUT_CHROMIUM = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (Debian package chromium: apt-get install chromium); the dashboard's browser test needs it`;
const RESULTS_DIR = fileURLToPath(new URL('../../test-results/', import.meta.url));
/** Self-tests well; the simulated lab's default faults make sim-0004 fail its self-test. */
const GOOD_NODES = ['sim-0001', 'sim-0002'];
const FAILING_NODE = 'sim-0004';

type DeviceList = { devices: { name: string; state: string; request_id: number | null }[] };

function watchPage(page: Page, problems: string[]): void {
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
}

const launchChromium = () => chromium.launch({ executablePath: CHROMIUM, headless: true, chromiumSandbox: false, args: CHROMIUM_ARGS });

describe('dashboard without Drydock', { skip: SKIP_WITHOUT_CHROMIUM, timeout: 60_000 }, () => {
  let server: ListeningServer;
  let browser: Browser;
  before(async () => {
    [server, browser] = await Promise.all([listen(createApp({ version: 'test', serverId: '127.0.0.1:0' }), '127.0.0.1', 0), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('hides the deployment tasks when /labpool/tasks/ is absent', async () => {
    assert.equal((await fetch(`${server.url}/labpool/tasks/`)).status, 404);
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/ui/`);
    await page.locator('#tasks-card[data-source="absent"]').waitFor({ state: 'attached' });
    assert.equal(await page.locator('#tasks-card').isVisible(), false);
    assert.equal(await page.locator('#tasks .task').count(), 0);
  });
});

describe('dashboard: Drydock tasks with their nodes', { skip: SKIP_WITHOUT_CHROMIUM, timeout: 120_000 }, () => {
  let lab: SimLabpool;
  let url: string;
  let browser: Browser;
  let page: Page;
  let token: string;
  let verifyId: string;
  const problems: string[] = [];
  const task = (id: string) => page.locator(`#tasks .task[data-task="${id}"]`);

  async function createTask(body: Record<string, unknown>): Promise<string> {
    const reply = await send(url, 'POST', '/api/v1.0/tasks', { headers: tokenHeader(token), body });
    assert.equal(reply.status, 201, reply.text);
    return reply.body.task_id as string;
  }

  before(async () => {
    const users = await Promise.all(TEST_USERS.map(async ({ name, password, roles }) => ({ name, hash: await hashPassword(password, 'scrypt'), roles })));
    [lab, browser] = await Promise.all([startSimLabpool(4, { auth: { users, usersFile: null, tokenUseIntervalMs: 0 } }), launchChromium()]);
    url = lab.labpool.url;
    token = await createTokenOf(url, 'otto');
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(30_000);
    watchPage(page, problems);
  });
  after(async () => {
    await browser?.close();
    await lab?.stop();
  });

  it('listens to every task event type on the live feed', async () => {
    await page.goto(`${url}/ui/`);
    const listened = await page.evaluate<string[]>("import('/ui/live.js').then((live) => live.EVENT_TYPES)");
    assert.deepEqual(
      TASK_EVENT_TYPES.types.filter((type) => !listened.includes(type)),
      [],
    );
  });

  it('keeps the section hidden while there is no task', async () => {
    await page.locator('#tasks-card[data-source="served"]').waitFor({ state: 'attached' });
    assert.equal(await page.locator('#tasks-card').isVisible(), false);
  });

  it('shows a verify_nodes task made through the API, its nodes ending one by one, live', async () => {
    // Self-tests at start: the good nodes end ready and free, the failing one in a failed state.
    await waitFor(async () => {
      const { devices } = (await (await fetch(`${url}/api/device/list/?details=1`)).json()) as DeviceList;
      const state = (name: string) => devices.find((device) => device.name === name)?.state ?? '';
      return GOOD_NODES.every((name) => state(name) === 'ready') && state(FAILING_NODE).startsWith('failed_');
    });
    await page.evaluate('window.notReloaded = true');
    // The feed keeps its newest 80 events: its task events are looked for as they come.
    await page.locator('#live[data-mode="live"]').waitFor();
    const nodes = [...GOOD_NODES, FAILING_NODE];
    verifyId = await createTask({ action: 'verify_nodes', design_ref: 'labpool:inventory', node_filter: { filter_set_type: 'union', filter_set: [{ filter_type: 'union', node_names: nodes }] } });
    await task(verifyId).waitFor();
    await page.locator(`#feed li[data-type="TaskCreated"][data-stream="task-${verifyId}"]`).waitFor();
    // A node task's events stand on its node's line.
    await page.locator(`#feed li[data-type="TaskNodeFailed"] a.feed-subject`, { hasText: FAILING_NODE }).waitFor();
    assert.equal(await task(verifyId).getAttribute('data-action'), 'verify_nodes');
    assert.equal(await task(verifyId).locator('.task-action').textContent(), 'verify_nodes');
    await task(verifyId).and(page.locator('[data-status="complete"][data-result="partial_success"]')).waitFor();
    for (const name of GOOD_NODES) await task(verifyId).locator(`tr[data-node="${name}"][data-status="complete"][data-result="success"]`).waitFor();
    await task(verifyId).locator(`tr[data-node="${FAILING_NODE}"][data-status="complete"][data-result="failure"]`).waitFor();
    const rows = await task(verifyId)
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-node')));
    assert.deepEqual([...rows].sort(), nodes);
    // Each node links to its device page; the pills say status and result in words.
    assert.equal(await task(verifyId).locator(`tr[data-node="${GOOD_NODES[0]}"] a`).getAttribute('href'), `device.html?name=${GOOD_NODES[0]}`);
    assert.equal(await task(verifyId).locator(`tr[data-node="${FAILING_NODE}"] [data-result]`).textContent(), 'failure');
    assert.match((await task(verifyId).locator(`tr[data-node="${GOOD_NODES[0]}"] .task-message`).textContent()) ?? '', /self-testing sim-0001: done/);
    assert.equal(await page.evaluate('window.notReloaded'), true);
    mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: `${RESULTS_DIR}dashboard-tasks.png`, fullPage: true });
  });

  it('ends the task’s events on the live feed with its outcome', async () => {
    const completed = page.locator(`#feed li[data-type="TaskCompleted"][data-stream="task-${verifyId}"]`);
    await completed.waitFor();
    assert.match((await completed.textContent()) ?? '', /complete: partial_success/);
    assert.match((await completed.getAttribute('class')) ?? '', /ev-imaging/);
  });

  it('shows the node task holding the device in the device page’s history', async () => {
    const nodeTask = (await task(verifyId).locator(`tr[data-node="${GOOD_NODES[0]}"]`).getAttribute('data-task')) ?? '';
    await task(verifyId).locator(`tr[data-node="${GOOD_NODES[0]}"] a`).click();
    await page.waitForURL(/device\.html\?name=sim-0001/);
    await page.locator('#history li[data-type="DeviceHolderAttached"]', { hasText: `deployment ${nodeTask}` }).waitFor();
    await page.locator('#history li[data-type="DeviceHolderDetached"]', { hasText: `deployment ${nodeTask}` }).waitFor();
  });

  it('writes what a task says as text, never as markup', async () => {
    const ref = 'file://<img src=x id=injected>.yaml';
    const id = await createTask({ action: 'validate_design', design_ref: ref });
    await page.goto(`${url}/ui/`);
    await task(id).and(page.locator('[data-result="failure"]')).waitFor();
    assert.equal(await task(id).locator('.task-design').textContent(), ref);
    await page.locator(`#tasks .task[data-task="${verifyId}"]`).waitFor();
    assert.deepEqual(await page.locator('#tasks .task').evaluateAll((tasks) => tasks.map((each) => each.getAttribute('data-task'))), [id, verifyId], 'newest first');
    assert.equal(await page.locator('#injected').count(), 0);
    assert.match((await task(id).getAttribute('class')) ?? '', /cls-failed/);
    assert.deepEqual(problems, []);
  });
});
