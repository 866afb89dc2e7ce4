import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createTftpProbe, TFTP_PROBE_FILE } from '../../../src/hardware/tftp/tftp-probe.js';
import { startTftpServer } from '../../../src/hardware/tftp/tftp-server.js';
import { findFreeUdpPort } from '../../support/free-port.js';

describe('the TFTP probe (verify_site)', () => {
  it('writes a fresh line, fetches it over real TFTP and finds it unchanged; a fresh line each time', async () => {
    const root = await mkdtemp(join(tmpdir(), 'labpool-tftp-probe-'));
    const server = await startTftpServer({ host: '127.0.0.1', port: await findFreeUdpPort(), root });
    try {
      const probe = createTftpProbe({ host: '0.0.0.0', port: server.port, root, timeoutMs: 1_000 });
      assert.deepEqual(await probe(), { ok: true });
      const first = await readFile(join(root, TFTP_PROBE_FILE), 'utf8');
      assert.deepEqual(await probe(), { ok: true });
      const second = await readFile(join(root, TFTP_PROBE_FILE), 'utf8');
      assert.match(first, /^labpool site probe [0-9a-f]{16}\n$/);
      assert.notEqual(first, second);
    } finally {
      await server.stop();
      await rm(root, { recursive: true, force: true });
    }
  });

  it('fails with the reason when nothing serves TFTP on the port', async () => {
    const root = await mkdtemp(join(tmpdir(), 'labpool-tftp-probe-'));
    const port = await findFreeUdpPort();
    try {
      const result = await createTftpProbe({ host: '127.0.0.1', port, root, timeoutMs: 100 })();
      assert.equal(result.ok, false);
      assert.match(JSON.stringify(result), new RegExp(`TFTP 127\\.0\\.0\\.1:${port}: fetching ${TFTP_PROBE_FILE.replace(/\./g, '\\.')} failed: \\S`));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('fails with the reason when the root cannot be written', async () => {
    const result = await createTftpProbe({ host: '127.0.0.1', port: 69, root: join(tmpdir(), 'labpool-no-such-root', 'deeper'), timeoutMs: 100 })();
    assert.equal(result.ok, false);
    assert.match(JSON.stringify(result), /cannot write labpool-site-probe\.txt into the root .*ENOENT/);
  });
});
