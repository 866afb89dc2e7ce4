import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { readLabpoolVersion } from '../src/labpool.js';

describe('labpool process (npm start)', () => {
  it('serves GET /api/version/ on the embedded store and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'labpool-main-'));
    const dbPath = join(dir, 'nested', 'labpool.db');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, LABPOOL_PORT: '0', LABPOOL_SQLITE_PATH: dbPath, EVENTSTORE_URL: '' },
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
