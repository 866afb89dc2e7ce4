import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CLUSTER_EVENT_TYPES } from '../../src/dialects/commissaire/domain/cluster-decider.js';
import { containerManagerDecider, networkDecider } from '../../src/dialects/commissaire/domain/config-record-decider.js';
import { HOST_EVENT_TYPES } from '../../src/dialects/commissaire/domain/host-decider.js';
import { OPERATION_EVENT_TYPES } from '../../src/dialects/commissaire/domain/operation-decider.js';
import type { ClustersAnswer } from '../../src/dialects/commissaire/http/labpool-clusters-routes.js';
import { createApp } from '../../src/http/app.js';
import { listen, type ListeningServer } from '../../src/http/server.js';
import { sampleValue } from '../support/prometheus-text.js';
import { startSimLabpool, type SimLabpool } from '../support/sim-labpool.js';
import { waitFor } from '../support/wait-for.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SKIP_WITHOUT_CHROMIUM = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (Debian package chromium: apt-get install chromium); the dashboard's browser test needs it`;
const RESULTS_DIR = fileURLToPath(new URL('../../test-results/', import.meta.url));
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

describe('dashboard: Commissaire clusters on the simulated lab', { skip: SKIP_WITHOUT_CHROMIUM, timeout: 240_000 }, () => {
  const PATIENCE_MS = 120_000;
  const KEY = Buffer.from('a test key, not a secret').toString('base64');
  /** Self-test well; sim-0004 fails its self-test (the simulated lab's default faults). */
  const GOOD = ['sim-0001', 'sim-0002'];
  const FAILING = 'sim-0004';
  const LONE = 'sim-0005';
  let sim: SimLabpool;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const fqdn = (device: string) => sim.labpool.lab.context.readModels.devices.get(device)?.fqdn ?? '';
  const stateOf = (device: string) => sim.labpool.lab.context.readModels.devices.get(device)?.state ?? '';
  const cluster = () => page.locator('#clusters-card .cluster[data-cluster="web"]');
  const hostRow = (device: string) => page.locator(`#clusters-card tr[data-device="${device}"]`);
  /** Commissaire's API as commctl calls it: JSON always, HTTP Basic as the simulated lab's operator. */
  const commissaire = async (method: string, path: string, body: unknown = {}) => {
    const response = await fetch(`${sim.labpool.url}/api/v0${path}`, {
      method,
      headers: { authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}`, 'content-type': 'application/json' },
      body: method === 'GET' ? undefined : JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  };
  const expectStatus = async (status: number, method: string, path: string, body?: unknown) => {
    const reply = await commissaire(method, path, body);
    assert.equal(reply.status, status, `${method} ${path}: ${reply.text}`);
  };

  before(async () => {
    // A power cycle waits out `pc_rebooting` (two minutes by default) before it pings: keep it short.
    [sim, browser] = await Promise.all([startSimLabpool(5, { lifeguardLimits: { pc_rebooting: { timeoutMs: 200, maxCount: null } } }), launchChromium()]);
    await waitFor(() => [...GOOD, LONE].every((device) => stateOf(device) === 'ready') && stateOf(FAILING).startsWith('failed_'), PATIENCE_MS);
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.setDefaultTimeout(PATIENCE_MS);
    page.on('pageerror', (error) => problems.push(error.message));
  });
  after(async () => {
    await browser?.close();
    await sim?.stop();
  });

  it('keeps the card hidden while there is no cluster and no host', async () => {
    await page.goto(`${sim.labpool.url}/ui/`);
    await page.locator('#clusters-card[data-source="served"]').waitFor({ state: 'attached' });
    assert.equal(await page.locator('#clusters-card').isVisible(), false);
    await page.locator('#live[data-mode="live"]').waitFor();
  });

  it('shows a cluster and its hosts, registered through Commissaire’s API, reaching their status live', async () => {
    await page.evaluate('window.notReloaded = true');
    await expectStatus(201, 'PUT', '/containermanager/cm', { type: 'trivial', options: {} });
    await expectStatus(201, 'PUT', '/cluster/web', { container_manager: 'cm' });
    for (const device of [...GOOD, FAILING]) await expectStatus(201, 'PUT', `/host/${fqdn(device)}`, { ssh_priv_key: KEY, cluster: 'web' });
    await expectStatus(201, 'PUT', `/host/${fqdn(LONE)}`, { ssh_priv_key: KEY });
    // The feed names the host and links its registration to its device.
    const registered = page.locator(`#feed li[data-type="HostRegistered"][data-stream="commhost-${fqdn(GOOD[0]!)}"]`);
    await registered.waitFor();
    assert.equal(await registered.locator('a.feed-subject').getAttribute('href'), `device.html?name=${GOOD[0]}`);
    assert.equal(await registered.locator('.feed-text').textContent(), `registered as ${GOOD[0]} in cluster web`);
    for (const device of GOOD) await hostRow(device).and(page.locator('[data-status="active"]')).waitFor();
    await hostRow(FAILING).and(page.locator('[data-status="failed"]')).waitFor();
    await cluster().and(page.locator('[data-status="degraded"]')).waitFor();
    assert.equal(await cluster().locator('.cluster-counts').textContent(), '2/3 hosts available');
    assert.equal(await cluster().locator('.cluster-cm').textContent(), 'cm');
    assert.equal(await cluster().locator('.cluster-network').textContent(), 'default');
    const members = await cluster()
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-device')));
    assert.deepEqual(members, [...GOOD, FAILING]);
    assert.equal(await hostRow(GOOD[0]!).locator('td').first().textContent(), fqdn(GOOD[0]!));
    assert.match((await hostRow(GOOD[0]!).locator('.host-facts').textContent()) ?? '', /\d+ cpus? · \d+\.\d GB$/);
    assert.notEqual(await hostRow(FAILING).locator('.host-reason').textContent(), '');
    // A host in no cluster has no container manager to join: it ends disassociated.
    await page.locator(`#clusters-card .unclustered tr[data-device="${LONE}"][data-status="disassociated"]`).waitFor();
    assert.equal(await page.locator('#clusters-card .clusters-count').textContent(), '1 cluster · ');
    assert.equal(await page.evaluate('window.notReloaded'), true);
  });

  it('shows a rolling restart host by host, ending failed on the host that is not set up', async () => {
    await expectStatus(201, 'PUT', '/cluster/web/restart', {});
    const restart = cluster().locator('.cluster-op[data-kind="restart"]');
    await restart.waitFor();
    await restart.and(page.locator('[data-status="failed"]')).waitFor();
    assert.equal(await restart.locator('.cluster-op-progress').textContent(), '2/3 hosts');
    assert.match((await restart.locator('.cluster-op-failure').textContent()) ?? '', new RegExp(`^${fqdn(FAILING).replaceAll('.', '\\.')}: `));
    await page.locator('#feed li[data-type="ClusterOperationHostFailed"][data-stream="clusterop-restart-web"] .feed-subject', { hasText: 'restart of web' }).waitFor();
    assert.deepEqual(problems, []);
    mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: `${RESULTS_DIR}dashboard-clusters.png`, fullPage: true });
  });

  it('links a host to its device page', async () => {
    await hostRow(GOOD[1]!).locator('a').click();
    await page.waitForURL(new RegExp(`device\\.html\\?name=${GOOD[1]}$`));
    await page.locator('#history li[data-type="DeviceHolderAttached"]', { hasText: `Commissaire host ${fqdn(GOOD[1]!)}` }).waitFor();
  });

  it('serves the card’s data, documented, and Commissaire’s metrics', async () => {
    const body = (await (await fetch(`${sim.labpool.url}/labpool/clusters/`)).json()) as { clusters: { name: string; status: string }[]; unclustered: { device: string }[] };
    assert.deepEqual(
      body.clusters.map(({ name, status }) => [name, status]),
      [['web', 'degraded']],
    );
    // An address that names no device is a bad request (as the README and OpenAPI say), and stays off the card.
    assert.deepEqual(await commissaire('PUT', '/host/no-such-device.example', { ssh_priv_key: KEY }), { status: 400, text: 'Bad Request' });
    assert.equal(((await (await fetch(`${sim.labpool.url}/labpool/clusters/`)).json()) as { unclustered: unknown[] }).unclustered.length, 1);
    // The card and Commissaire's own route tell the same counts.
    assert.deepEqual(JSON.parse((await commissaire('GET', '/cluster/web')).text).hosts, { total: 3, available: 2, unavailable: 1 });
    assert.deepEqual(
      body.unclustered.map((host) => host.device),
      [LONE],
    );
    const openapi = (await (await fetch(`${sim.labpool.url}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
    assert.ok(openapi.paths['/labpool/clusters/'] !== undefined, Object.keys(openapi.paths).join(' '));
    const text = await (await fetch(`${sim.labpool.url}/metrics`)).text();
    const hosts = (status: string) => sampleValue(text, 'labpool_commissaire_hosts', { status });
    assert.deepEqual(['active', 'failed', 'disassociated', 'investigating'].map(hosts), [2, 1, 1, 0]);
    assert.equal(sampleValue(text, 'labpool_commissaire_clusters', { status: 'degraded' }), 1);
    assert.equal(sampleValue(text, 'labpool_commissaire_operations_in_process', { kind: 'restart' }), 0);
    assert.equal(sampleValue(text, 'labpool_commissaire_operations_ended_total', { kind: 'restart', status: 'failed' }), 1);
    assert.equal(sampleValue(text, 'labpool_commissaire_operation_seconds_count', { kind: 'restart', status: 'failed' }), 1);
  });
});
