import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CLUSTER_EVENT_TYPES } from '../../src/dialects/commissaire/domain/cluster-decider.js';
import { containerManagerDecider, networkDecider } from '../../src/dialects/commissaire/domain/config-record-decider.js';
import { HOST_EVENT_TYPES } from '../../src/dialects/commissaire/domain/host-decider.js';
import { OPERATION_EVENT_TYPES } from '../../src/dialects/commissaire/domain/operation-decider.js';
import type { ClustersAnswer } from '../../src/dialects/commissaire/http/labpool-clusters-routes.js';
import { createApp } from '../../src/http/app.js';
import { listen, type ListeningServer } from '../../src/http/server.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SKIP_WITHOUT_CHROMIUM = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (Debian package chromium: apt-get install chromium); the dashboard's browser test needs it`;
const launchChromium = () => chromium.launch({ executablePath: CHROMIUM, headless: true, chromiumSandbox: false, args: CHROMIUM_ARGS });

const COMMISSAIRE_EVENT_TYPES = [HOST_EVENT_TYPES, CLUSTER_EVENT_TYPES, OPERATION_EVENT_TYPES, networkDecider.knownEventTypes, containerManagerDecider.knownEventTypes].flatMap((known) => known.types);

/** Markup in every string the card shows: Commissaire's names cannot carry it, but nothing else stops it. */
const HOSTILE = '<img src=x id=injected onerror="window.pwned=1">';
const hostileHost = {
  address: `10.0.0.1${HOSTILE}`,
  status: 'failed',
  device: `sim&0001${HOSTILE}`,
  facts: { os: `os${HOSTILE}`, cpus: 2, memory: 2_097_152, space: 1000, last_check: '2026-01-02T03:04:05.000000' },
  reason: `reason${HOSTILE}`,
  updated: '2026-01-02T03:04:05.000Z',
} as const;
const HOSTILE_ANSWER: ClustersAnswer = {
  clusters: [
    {
      name: `alpha${HOSTILE}`,
      status: 'failed',
      network: `net${HOSTILE}`,
      container_manager: `cm${HOSTILE}`,
      hosts: { total: 1, available: 0, unavailable: 1 },
      members: [hostileHost],
      operations: {
        deploy: {
          kind: 'deploy',
          name: `alpha${HOSTILE}`,
          status: 'failed',
          version: `v${HOSTILE}`,
          started_at: '2026-01-02T03:04:05.000000',
          finished_at: '2026-01-02T03:05:05.000000',
          in_process: [],
          deployed: [],
          hosts: [hostileHost.address],
          failure: { host: hostileHost.address, reason: `imaging${HOSTILE}` },
        },
        upgrade: null,
        restart: null,
      },
    },
  ],
  unclustered: [{ ...hostileHost, address: `10.0.0.2${HOSTILE}`, status: 'investigating', reason: null, facts: null }],
};

describe('dashboard: the Clusters card without Commissaire', { skip: SKIP_WITHOUT_CHROMIUM, timeout: 60_000 }, () => {
  let server: ListeningServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  before(async () => {
    [server, browser] = await Promise.all([listen(createApp({ version: 'test', serverId: '127.0.0.1:0' }), '127.0.0.1', 0), launchChromium()]);
    page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => problems.push(error.message));
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('hides the card when /labpool/clusters/ is absent', async () => {
    assert.equal((await fetch(`${server.url}/labpool/clusters/`)).status, 404);
    await page.goto(`${server.url}/ui/`);
    await page.locator('#clusters-card[data-source="absent"]').waitFor({ state: 'attached' });
    assert.equal(await page.locator('#clusters-card').isVisible(), false);
  });

  it('listens to every Commissaire event type on the live feed', async () => {
    const listened = await page.evaluate<string[]>("import('/ui/live.js').then((live) => live.EVENT_TYPES)");
    assert.equal(COMMISSAIRE_EVENT_TYPES.length, 21);
    assert.deepEqual(
      COMMISSAIRE_EVENT_TYPES.filter((type) => !listened.includes(type)),
      [],
    );
    const types = [...COMMISSAIRE_EVENT_TYPES, 'DeviceHolderAttached', 'HardwareTypeDefined', 'TaskCreated'];
    const refreshing = await page.evaluate<boolean[]>(`import('/ui/live.js').then((live) => ${JSON.stringify(types)}.map(live.isCommissaireEvent))`);
    assert.deepEqual(refreshing, [...COMMISSAIRE_EVENT_TYPES.map(() => true), false, false, false]);
  });

  it('writes every string of a cluster as text, never as markup', async () => {
    // A card of its own: the page's own card goes on polling the absent route and would be emptied.
    await page.evaluate((answer) => Object.assign(globalThis, { hostileAnswer: answer }), HOSTILE_ANSWER as unknown as Record<string, unknown>);
    await page.evaluate(`import('/ui/clusters.js').then((clusters) => {
      const card = document.createElement('section');
      card.id = 'test-card';
      card.innerHTML = '<span class="clusters-count"></span><div class="clusters"></div>';
      document.body.append(card);
      clusters.renderClusters(card, window.hostileAnswer);
    })`);
    const cluster = page.locator('#test-card .cluster[data-status="failed"]').first();
    assert.equal(await cluster.getAttribute('data-cluster'), `alpha${HOSTILE}`);
    assert.equal(await cluster.locator('.cluster-name').textContent(), `alpha${HOSTILE}`);
    assert.equal(await cluster.locator('.cluster-network').textContent(), `net${HOSTILE}`);
    assert.equal(await cluster.locator('.cluster-cm').textContent(), `cm${HOSTILE}`);
    assert.equal(await cluster.locator('.cluster-counts').textContent(), '0/1 host available');
    const row = cluster.locator('tbody tr').first();
    assert.equal(await row.locator('td').first().textContent(), hostileHost.address);
    assert.equal(await row.locator('a').textContent(), hostileHost.device);
    assert.equal(await row.locator('a').getAttribute('href'), `device.html?name=${encodeURIComponent(hostileHost.device)}`);
    assert.equal(await row.locator('.host-reason').textContent(), `reason${HOSTILE}`);
    assert.equal(await row.locator('.host-facts').textContent(), `os${HOSTILE} · 2 cpus · 2.0 GB`);
    const deploy = cluster.locator('.cluster-op[data-kind="deploy"]');
    assert.equal(await deploy.getAttribute('data-status'), 'failed');
    assert.equal(await deploy.locator('.cluster-op-version').textContent(), `v${HOSTILE}`);
    assert.equal(await deploy.locator('.cluster-op-progress').textContent(), '0/1 hosts');
    assert.equal(await deploy.locator('.cluster-op-failure').textContent(), `${hostileHost.address}: imaging${HOSTILE}`);
    const unclustered = page.locator('#test-card .unclustered tbody tr');
    assert.equal(await unclustered.count(), 1);
    assert.equal(await unclustered.getAttribute('data-host'), `10.0.0.2${HOSTILE}`);
    assert.equal(await page.locator('#test-card .clusters-count').textContent(), '1 cluster · ');
    assert.equal(await page.locator('#test-card').getAttribute('data-source'), 'served');
    assert.equal(await page.locator('#injected').count(), 0);
    assert.equal(await page.evaluate('window.pwned'), undefined);
    assert.deepEqual(problems, []);
  });

  it('describes Commissaire events in the feed in words, never with a host’s sealed credentials', async () => {
    const lines = await page.evaluate<string[]>(`import('/ui/states.js').then((states) => [
      states.summarize('HostRegistered', { address: '10.0.0.1', device: 'sim-0001', cluster: 'alpha', credsSealed: 'SEALED', keyFingerprint: 'PRINT', atMs: 1 }),
      states.summarize('HostBootstrapped', { to: 'active', atMs: 1 }),
      states.summarize('ClusterOperationStarted', { cluster: 'alpha', kind: 'deploy', version: 'ubuntu', hosts: ['a', 'b'], atMs: 1 }),
      states.summarize('ClusterOperationHostFailed', { host: 'a', reason: 'no answer', atMs: 1 }),
      states.eventClass('HostBootstrapped', { to: 'active' }),
      states.eventClass('HostInvestigationFailed', {}),
      states.eventClass('ClusterOperationFinished', {}),
    ])`);
    assert.deepEqual(lines, ['registered as sim-0001 in cluster alpha', 'bootstrapped: active', 'deploy ubuntu of 2 hosts', 'a failed: no answer', 'free', 'failed', 'free']);
  });
});
