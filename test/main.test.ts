import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { readLabpoolVersion, startLabpool } from '../src/labpool.js';
import { findFreeUdpPort } from './support/free-port.js';
import { createFakeHardware } from './support/fake-hardware.js';
import { createTestConfig, createTestInventory, startTestLab, TEST_SERVER_ID } from './support/lab-harness.js';

/** Runs `npm start`'s entry point to its exit; the environment starts from the test's, minus labpool's own settings. */
async function runToExit(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, LABPOOL_CONFIG: '', EVENTSTORE_URL: '', LABPOOL_STORE: '', LABPOOL_INVENTORY_FORCE_SYNC: '', LABPOOL_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    const [code] = (await once(child, 'exit')) as [number | null];
    return { code, stdout, stderr };
  } finally {
    clearTimeout(killer);
  }
}

/** The process ended with exactly one line on stderr, `labpool: …`, and no stack trace. */
function assertOneLineExit(run: { code: number | null; stdout: string; stderr: string }): string {
  assert.notEqual(run.code, 0, run.stderr);
  const lines = run.stderr.split('\n').filter((line) => line.trim() !== '');
  assert.equal(lines.length, 1, run.stderr);
  assert.doesNotMatch(run.stderr, /^\s+at /m);
  assert.match(lines[0] ?? '', /^labpool: /);
  return lines[0] ?? '';
}

describe('labpool process (npm start)', () => {
  it('serves GET /api/version/ on the embedded store and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'labpool-main-'));
    const dbPath = join(dir, 'nested', 'labpool.db');
    // The default start runs the simulated lab: give it free ports and a small size.
    const configFile = join(dir, 'labpool.json');
    const sim = { enabled: true, devices: 2, stepDelayMs: 20, pduPorts: [await findFreeUdpPort(), await findFreeUdpPort()] };
    writeFileSync(configFile, JSON.stringify({ sim, hardware: { tftp: { host: '127.0.0.1', port: await findFreeUdpPort(), root: join(dir, 'tftp') } } }));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, LABPOOL_CONFIG: configFile, LABPOOL_PORT: '0', LABPOOL_SQLITE_PATH: dbPath, EVENTSTORE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    try {
      let output = '';
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /serving (http:\/\/\S+)\/api\//.exec(output);
          if (match?.[1]) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code} before serving:\n${output}`)));
      });
      const response = await fetch(`${url}/api/version/`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { version: readLabpoolVersion() });
      assert.ok(statSync(dbPath).isFile(), 'the SQLite file was created');
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0, output);
      assert.match(output, /^user demo, password demo \(operator\)/m, 'the simulated lab names its demo user');
    } finally {
      clearTimeout(killer);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an invalid configuration with a message naming the field', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, LABPOOL_PORT: 'eighty', EVENTSTORE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    assert.equal(code, 1);
    assert.match(stderr, /LABPOOL_PORT/);
  });

  it('stops with one line saying what to do when the inventory is refused, and loses nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'labpool-main-'));
    try {
      // The README's path: a store that already holds other devices, then the example inventory.
      const store = { kind: 'sqlite', path: join(dir, 'labpool.db'), synchronous: 'NORMAL' } as const;
      await (await startTestLab(createTestInventory(8, 'sim'), { config: { store }, ready: false })).labpool.stop();
      const hardware = async () => ({ LABPOOL_TFTP_PORT: String(await findFreeUdpPort()), LABPOOL_TFTP_ROOT: join(dir, 'tftp') });
      const refused = await runToExit({ ...(await hardware()), LABPOOL_SERVER_ID: TEST_SERVER_ID, LABPOOL_SQLITE_PATH: store.path, LABPOOL_INVENTORY: 'config/inventory.example.json' });
      const line = assertOneLineExit(refused);
      assert.match(line, /inventory config\/inventory\.example\.json not applied: it would retire 8 of the 8 devices this server has in sqlite \S+ \(sim-0001, sim-0002, sim-0003, …\)\. To keep them/);
      assert.match(line, /LABPOOL_SQLITE_PATH=/);
      assert.match(line, /LABPOOL_INVENTORY_FORCE_SYNC=1/);
      const after = await startLabpool(createTestConfig({ store }), { hardware: createFakeHardware().hardware });
      try {
        assert.equal(after.lab.context.readModels.devices.list().length, 8, 'the refused inventory retired nothing');
      } finally {
        await after.stop();
      }

      // A power address no PDU model of this server matches stops the start the same way.
      const badRelay = join(dir, 'inventory.json');
      const example = JSON.parse(readFileSync('config/inventory.example.json', 'utf8')) as { devices: { relayInfo: string }[] };
      writeFileSync(badRelay, JSON.stringify({ ...example, devices: example.devices.map((device, i) => (i === 2 ? { ...device, relayInfo: 'snmp://private@pdu2:161/7?model=apc' } : device)) }));
      const unusable = await runToExit({ ...(await hardware()), LABPOOL_SQLITE_PATH: join(dir, 'fresh.db'), LABPOOL_INVENTORY: badRelay });
      assert.match(assertOneLineExit(unusable), /not applied: devices\[2\]\.relayInfo "snmp:\/\/private@pdu2:161\/7\?model=apc": unknown PDU model 'apc'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
