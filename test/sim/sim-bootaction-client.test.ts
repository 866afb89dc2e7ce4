import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { packAssetTarball } from '../../src/dialects/drydock/bootactions/asset-tarball.js';
import { startTftpServer, type RunningTftpServer } from '../../src/hardware/tftp/tftp-server.js';
import { bootactionConfigOf, runSimBootactions, type SimBootactionConfig } from '../../src/sim/sim-bootaction-client.js';
import { createSimDevice, type SimDevice } from '../../src/sim/sim-device.js';
import { NODE, SIM_BOOTACTIONS, openBootactionHarness, removeHarnessDir, type BootactionHarness } from '../dialects/drydock/bootaction-harness.js';
import { findFreeTcpPort, findFreeUdpPort } from '../support/free-port.js';
import { waitFor } from '../support/wait-for.js';

const statusesOf = async (lab: BootactionHarness, host: string) =>
  ((await (await fetch(`${lab.url}/api/v1.0/nodes/${host}/bootactions`)).json()) as { action_name: string; action_status: string }[]).map((action) => [action.action_name, action.action_status]);

function listenHttp(handler: (req: IncomingMessage, body: string) => { status: number; type?: string; body: string | Buffer }): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answer = handler(req, Buffer.concat(chunks).toString('utf8'));
      res.writeHead(answer.status, { 'Content-Type': answer.type ?? 'application/json' }).end(answer.body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

describe('the simulated node’s bootaction client', () => {
  it('reads the drydock part of a boot config, and nothing from anything else', () => {
    const drydock = { hostname: 'h', key: 'k', units_url: 'u', files_url: 'f', report_url: 'r' };
    assert.deepEqual(bootactionConfigOf(JSON.stringify({ other: 1, drydock })), drydock);
    for (const text of ['', 'not json', '{}', '[]', 'null', JSON.stringify({ drydock: { ...drydock, key: 1 } }), JSON.stringify({ drydock: 'x' })])
      assert.equal(bootactionConfigOf(text), undefined, text);
  });

  describe('against labpool’s routes', () => {
    let lab: BootactionHarness;
    before(async () => (lab = await openBootactionHarness()));
    after(async () => (await lab.close(), removeHarnessDir(lab.dir)));

    it('fetches, unpacks and reports sim-hello (a detail, then success), leaving the others alone', async () => {
      await lab.service.issue({ taskId: 'task-1', node: NODE, bootactions: SIM_BOOTACTIONS });
      const logged: string[] = [];
      await runSimBootactions(lab.service.bootConfigOf(NODE.hostname)!.drydock, { log: (line) => logged.push(line), alive: () => true });
      assert.deepEqual(logged, []);
      assert.deepEqual(await statusesOf(lab, NODE.hostname), [
        ['sim-hello', 'success'],
        ['motd', 'unreported'],
      ]);
      assert.deepEqual(
        lab.reports.map(({ report }) => [report.status, report.details.map(({ message, error }) => [message, error])]),
        [
          [null, [['sim-hello starting on sim-0001', false]]],
          ['success', [['hello from sim-0001', false]]],
        ],
      );
    });

    it('logs a refused key and reports nothing, without throwing', async () => {
      const config = lab.service.bootConfigOf(NODE.hostname)!.drydock;
      const before = lab.reports.length;
      const logged: string[] = [];
      await runSimBootactions({ ...config, key: '0'.repeat(64) }, { log: (line) => logged.push(line), alive: () => true });
      assert.equal(lab.reports.length, before);
      assert.match(logged.join('\n'), /answered 403/);
    });
  });

  it('posts exactly as Drydock’s Go client: key and JSON headers, compact bodies, lowercase status, <report_url>/<id>/', async () => {
    const key = 'a'.repeat(64);
    const units = await packAssetTarball([], 0);
    let files = units;
    const posts: { url: string; key: unknown; type: unknown; body: string }[] = [];
    const fake = await listenHttp((req, body) => {
      if (req.headers['x-bootaction-key'] !== key) return { status: 403, body: '{}' };
      if (req.method !== 'POST') return { status: 200, type: 'application/gzip', body: req.url === '/units' ? units : files };
      posts.push({ url: req.url ?? '', key: req.headers['x-bootaction-key'], type: req.headers['content-type'], body });
      return { status: 200, body: '{}' };
    });
    try {
      const reportUrl = `${fake.url}/api/v1.0/bootaction`;
      files = await packAssetTarball([{ path: '/etc/labpool/hello.json', permissions: 0o644, data: JSON.stringify({ action_id: '01ID', report_url: reportUrl }) }], 0);
      const config: SimBootactionConfig = { hostname: 'h1', key, units_url: `${fake.url}/units`, files_url: `${fake.url}/files`, report_url: reportUrl };
      await runSimBootactions(config, { log: (line) => assert.fail(line), alive: () => true });
      assert.deepEqual(posts, [
        { url: '/api/v1.0/bootaction/01ID/', key, type: 'application/json', body: '{"details":[{"message":"sim-hello starting on h1","error":false}]}' },
        { url: '/api/v1.0/bootaction/01ID/', key, type: 'application/json', body: '{"status":"success","details":[{"message":"hello from h1","error":false}]}' },
      ]);
    } finally {
      fake.server.close();
    }
  });

  describe('on a simulated device that PXE boots a deploy', () => {
    let lab: BootactionHarness;
    let tftp: RunningTftpServer;
    let fake: { server: Server; url: string };
    let device: SimDevice;
    const root = mkdtempSync(join(tmpdir(), 'labpool-sim-tftp-'));
    const events: string[] = [];

    before(async () => {
      lab = await openBootactionHarness();
      fake = await listenHttp((req) => {
        if (req.url === '/bootconfig/') return { status: 200, type: 'text/plain', body: JSON.stringify({ ...lab.service.bootConfigOf(NODE.hostname), b2g_url: 'ignored' }) };
        events.push(req.url ?? '');
        return { status: 200, body: '{}' };
      });
      mkdirSync(join(root, 'pxelinux.cfg'));
      const pxe = `default install\nlabel install\n  kernel vmlinuz\n  append labpool.url=${fake.url} labpool.image=ubuntu labpool.bootconfig=${fake.url}/bootconfig/\n`;
      writeFileSync(join(root, 'pxelinux.cfg', '01-52-54-00-00-00-01'), pxe);
      tftp = await startTftpServer({ host: '127.0.0.1', port: await findFreeUdpPort(), root });
      const sshPort = await findFreeTcpPort();
      device = createSimDevice({ name: NODE.hostname, macAddress: NODE.mac, address: '127.0.0.1', tftp, imagePorts: {}, sshPort, installedImage: null, stepDelayMs: 0 });
    });
    after(async () => {
      await device.stop();
      await tftp.stop();
      fake.server.close();
      await lab.close();
      removeHarnessDir(lab.dir);
      rmSync(root, { recursive: true, force: true });
    });

    it('installs the image, then reports sim-hello with its key from the boot config', async () => {
      await lab.service.issue({ taskId: 'task-1', node: NODE, bootactions: SIM_BOOTACTIONS });
      device.setPower(true);
      await waitFor(async () => lab.reports.some(({ report }) => report.status !== null));
      assert.equal(device.status(), 'up ubuntu');
      assert.deepEqual(
        events.filter((url) => url.includes('/event/')).map((url) => url.split('/')[5]),
        ['mobile_init_started', 'ubuntu_downloading', 'ubuntu_extracting', 'ubuntu_rebooting'],
      );
      assert.deepEqual(await statusesOf(lab, NODE.hostname), [
        ['sim-hello', 'success'],
        ['motd', 'unreported'],
      ]);
    });
  });
});
