import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestInventory, type TestLab } from '../support/lab-harness.js';
import { createTokenOf, startLabWithUsers } from '../support/locked-lab.js';

const CHROMIUM = '/usr/bin/chromium';
const SKIP_WITHOUT_CHROMIUM = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (Debian package chromium); the dashboard's browser test needs it`;
const DEVICE = 'panda-0001';

describe('dashboard on a server whose MozPool writes need a token', { skip: SKIP_WITHOUT_CHROMIUM, timeout: 60_000 }, () => {
  let lab: TestLab;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const comments = () => page.locator('dd[data-fact="comments"]');

  before(async () => {
    const launch = chromium.launch({ executablePath: CHROMIUM, headless: true, chromiumSandbox: false, args: ['--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    [lab, browser] = await Promise.all([startLabWithUsers(createTestInventory(2), { config: { security: { mozpoolWritesNeedToken: true, deviceSources: null } } }), launch]);
    page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) problems.push(message.text());
    });
    await page.goto(`${lab.url}/ui/device.html?name=${DEVICE}`);
    await page.locator('#comments-form').waitFor();
  });
  after(async () => {
    await browser?.close();
    await lab?.labpool.stop();
  });

  async function saveComments(text: string): Promise<void> {
    await page.fill('#comments', text);
    await page.click('#comments-form button[type=submit]');
  }

  it('says why a change is refused without a token', async () => {
    await saveComments('without a token');
    await page.locator('.toast-error', { hasText: 'X-Auth-Token' }).waitFor();
    assert.notEqual(await comments().textContent(), 'without a token');
  });

  it('sends the token set through the header button with its changes, for this tab only', async () => {
    const token = await createTokenOf(lab.url, 'otto');
    page.once('dialog', (dialog) => void dialog.accept(token));
    await page.click('#token');
    await page.locator('#token[data-set="true"]').waitFor();
    await saveComments('saved with otto’s token');
    await comments().filter({ hasText: 'saved with otto’s token' }).waitFor();
    const other = await browser.newPage();
    await other.goto(`${lab.url}/ui/`);
    assert.equal(await other.locator('#token').getAttribute('data-set'), 'false', 'another tab starts without it');
    await other.close();
  });

  it('forgets the token when given an empty one', async () => {
    page.once('dialog', (dialog) => void dialog.accept(''));
    await page.click('#token');
    await page.locator('#token[data-set="false"]').waitFor();
    await page.evaluate("document.getElementById('toasts').replaceChildren()");
    await saveComments('forgotten');
    await page.locator('.toast-error', { hasText: 'X-Auth-Token' }).waitFor();
    assert.equal(await comments().textContent(), 'saved with otto’s token');
    assert.deepEqual(problems, []);
  });
});
