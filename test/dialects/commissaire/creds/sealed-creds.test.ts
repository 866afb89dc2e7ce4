import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CREDS_KEY_ENV, generateCredsKey, keyFingerprint, loadCredsKey, openCreds, parseCredsKey, sealCreds, type CredsKey } from '../../../../src/dialects/commissaire/creds/sealed-creds.js';

const key = parseCredsKey(Buffer.alloc(32, 7).toString('base64'), 'test');
const otherKey = parseCredsKey(Buffer.alloc(32, 8).toString('base64'), 'test');
const creds = { ssh_priv_key: Buffer.from('-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n').toString('base64'), remote_user: 'root' };

/** The sealed string with one byte of its payload flipped. */
function flipped(sealed: string, index: number): string {
  const [version, payload] = sealed.split('.');
  const bytes = Buffer.from(payload ?? '', 'base64url');
  bytes[index] = (bytes[index] ?? 0) ^ 1;
  return `${version}.${bytes.toString('base64url')}`;
}

describe('sealed credentials', () => {
  it('opens what it sealed, and the sealed string shows neither the key nor the user', () => {
    const sealed = sealCreds(creds, key);
    assert.match(sealed, /^v1\.[A-Za-z0-9_-]+$/);
    assert.ok(!sealed.includes(creds.ssh_priv_key) && !sealed.includes('root'));
    assert.deepEqual(openCreds(sealed, key), { ok: true, creds });
  });

  it('uses a fresh IV for every seal', () => {
    const [a, b] = [sealCreds(creds, key), sealCreds(creds, key)];
    assert.notEqual(a, b);
    assert.notDeepEqual(Buffer.from(a.slice(3), 'base64url').subarray(0, 12), Buffer.from(b.slice(3), 'base64url').subarray(0, 12));
  });

  it('detects tampering with the IV, the tag or the ciphertext', () => {
    const sealed = sealCreds(creds, key);
    for (const index of [0, 11, 12, 27, 28, 40]) assert.deepEqual(openCreds(flipped(sealed, index), key), { ok: false, reason: 'unauthentic' }, `byte ${index}`);
    assert.deepEqual(openCreds(sealed.slice(0, 20), key), { ok: false, reason: 'unauthentic' });
  });

  it('refuses to open with another key', () => {
    assert.deepEqual(openCreds(sealCreds(creds, key), otherKey), { ok: false, reason: 'unauthentic' });
  });

  it('refuses another format version or no version at all', () => {
    const sealed = sealCreds(creds, key);
    assert.deepEqual(openCreds(`v2${sealed.slice(2)}`, key), { ok: false, reason: 'unsupported' });
    assert.deepEqual(openCreds(sealed.slice(3), key), { ok: false, reason: 'unsupported' });
    assert.deepEqual(openCreds(`${sealed}.extra`, key), { ok: false, reason: 'unsupported' });
  });
});

describe('key fingerprints', () => {
  it('are stable for one ssh key and differ for another key or another sealing key', () => {
    const fingerprint = keyFingerprint(creds.ssh_priv_key, key);
    assert.equal(keyFingerprint(creds.ssh_priv_key, key), fingerprint);
    assert.notEqual(keyFingerprint(`${creds.ssh_priv_key}x`, key), fingerprint);
    assert.notEqual(keyFingerprint(creds.ssh_priv_key, otherKey), fingerprint);
    assert.ok(!fingerprint.includes(creds.ssh_priv_key));
  });
});

describe('loading the key', () => {
  const text = generateCredsKey();
  const bytesOf = (loaded: CredsKey): string => loaded.bytes.toString('base64');

  it('generates the base64 of 32 random bytes', () => {
    assert.equal(Buffer.from(text, 'base64').length, 32);
    assert.notEqual(generateCredsKey(), text);
  });

  it('takes the environment over the configuration', () => {
    const configured = generateCredsKey();
    assert.equal(bytesOf(loadCredsKey({ configured, env: { [CREDS_KEY_ENV]: text } })), text);
    assert.equal(bytesOf(loadCredsKey({ configured, env: {} })), configured);
    assert.equal(bytesOf(loadCredsKey({ configured, env: { [CREDS_KEY_ENV]: '' } })), configured);
  });

  it('explains a missing key', () => {
    assert.throws(() => loadCredsKey({ env: {} }), new RegExp(`no Commissaire credentials key: set env ${CREDS_KEY_ENV}`));
  });

  it('explains a key that is not the base64 of 32 bytes, naming where it came from', () => {
    for (const bad of [Buffer.alloc(16).toString('base64'), Buffer.alloc(33).toString('base64'), 'not base64 at all!', `${text.slice(0, -2)}@@`]) {
      assert.throws(() => loadCredsKey({ env: { [CREDS_KEY_ENV]: bad } }), /env LABPOOL_COMMISSAIRE_CREDS_KEY: .*base64 of 32 bytes/, bad);
    }
    assert.throws(() => loadCredsKey({ configured: 'short', env: {} }), /^Error: configuration: /);
  });
});
