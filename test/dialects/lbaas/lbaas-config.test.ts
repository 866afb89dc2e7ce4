import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../../src/config/config.js';
import { loadTlsCredentials } from '../../../src/dialects/lbaas/lbaas-certificate.js';
import { LbaasConfigError, lbaasSettingsOf, simCertificateFiles } from '../../../src/dialects/lbaas/lbaas-config.js';

describe('LBaaS settings', () => {
  const defaults = loadConfig({ env: {} });

  it('is off without a section outside the simulated lab, on at 8889 in it with a generated certificate beside the store', () => {
    assert.equal(lbaasSettingsOf(defaults, false), undefined);
    assert.deepEqual(lbaasSettingsOf(defaults, true), {
      host: '127.0.0.1',
      port: 8889,
      portIsDefault: true,
      certificate: { kind: 'generated', folder: resolve('data') },
      requireToken: false,
    });
    assert.equal(lbaasSettingsOf({ ...defaults, lbaas: { enabled: false } }, true), undefined);
  });

  it('refuses a configured API without a certificate outside the simulated lab, and a certificate without its key', () => {
    assert.throws(() => lbaasSettingsOf({ ...defaults, lbaas: { port: 9443 } }, false), LbaasConfigError);
    const files = { certFile: '/etc/lb/cert.pem', keyFile: '/etc/lb/key.pem' };
    assert.deepEqual(lbaasSettingsOf({ ...defaults, lbaas: { port: 9443, ...files } }, false)?.certificate, { kind: 'files', ...files });
    const dir = mkdtempSync(join(tmpdir(), 'labpool-lbaas-config-'));
    try {
      const file = join(dir, 'labpool.json');
      writeFileSync(file, JSON.stringify({ lbaas: { certFile: '/etc/lb/cert.pem' } }));
      assert.throws(
        () => loadConfig({ file, env: {} }),
        (error: unknown) => error instanceof ConfigError && error.message.includes('lbaas'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes its port from LABPOOL_LBAAS_PORT, which turns it on', () => {
    const config = loadConfig({ env: { LABPOOL_LBAAS_PORT: '9443' } });
    assert.deepEqual(config.lbaas, { port: 9443 });
    assert.throws(() => loadConfig({ env: { LABPOOL_LBAAS_PORT: 'https' } }), /LABPOOL_LBAAS_PORT/);
  });
});

describe('the simulated lab’s LBaaS certificate', () => {
  it('is made once when servers start at once on one folder: every one serves the pair on disk', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'labpool-lbaas-cert-'));
    try {
      const loaded = await Promise.all([1, 2, 3].map(() => loadTlsCredentials({ kind: 'generated', folder }, '127.0.0.1')));
      const { certFile, keyFile } = simCertificateFiles(folder);
      const onDisk = { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
      assert.deepEqual(loaded, [onDisk, onDisk, onDisk]);
      assert.equal(statSync(keyFile).mode & 0o777, 0o600);
      // Only the pair is left in the folder: no drafts.
      assert.deepEqual(readdirSync(folder).sort(), [certFile, keyFile].map((file) => basename(file)).sort());
      // And a later start reads it back.
      assert.deepEqual(await loadTlsCredentials({ kind: 'generated', folder }, '127.0.0.1'), onDisk);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
