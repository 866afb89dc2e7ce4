import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { readLabpoolVersion } from '../src/labpool.js';
import { findFreeUdpPort } from './support/free-port.js';

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
});
