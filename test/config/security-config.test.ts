import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { createAddressMatcher, parseAddressBlock } from '../../src/http/access/address-blocks.js';

const directory = mkdtempSync(join(tmpdir(), 'labpool-security-config-'));
let files = 0;

function configFile(content: unknown): string {
  files += 1;
  const file = join(directory, `config-${files}.json`);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

function problemsOf(file: string): readonly string[] {
  try {
    loadConfig({ file, env: {} });
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
  assert.fail('the configuration was accepted');
}

describe('security and CORS settings', () => {
  after(() => rmSync(directory, { recursive: true, force: true }));

  it('leave every door open and CORS off by default', () => {
    const config = loadConfig({ env: {} });
    assert.deepEqual(config.security, { mozpoolWritesNeedToken: false, deviceSources: null });
    assert.equal(config.http.cors, undefined);
  });

  it('take token-locked MozPool writes, IPv4 and IPv6 device sources and CORS origins from the file', () => {
    const security = { mozpoolWritesNeedToken: true, deviceSources: ['10.20.0.0/16', '192.0.2.7', 'fd00:10::/32', '::1'] };
    const cors = { origins: ['https://dash.example.org', 'http://localhost:5173'] };
    const config = loadConfig({ file: configFile({ security, http: { cors } }), env: {} });
    assert.deepEqual(config.security, security);
    assert.deepEqual(config.http, { host: '127.0.0.1', port: 8010, cors });
  });

  it('names each device source that is not a CIDR block, with a clear message', () => {
    const file = configFile({ security: { deviceSources: ['10.0.0.0/8', '10.0.0.0/33', 'fd00::/129', 'lab.example.org', '10.0.0.256/24', ' 10.1.0.0/16'] } });
    const problem = (index: number) => `security.deviceSources.${index} is not a CIDR block such as 10.0.0.0/8 or fd00::/8 (an address alone is one host) (from file ${file})`;
    assert.deepEqual(problemsOf(file), [1, 2, 3, 4, 5].map(problem));
  });

  it('names a CORS origin with a path or without a scheme, and unknown security keys', () => {
    const file = configFile({ http: { cors: { origins: ['https://dash.example.org/ui', 'dash.example.org', '*'] } }, security: { deviceSource: [] } });
    const origin = (index: number) => `http.cors.origins.${index} is not an origin such as https://dash.example.org (scheme, host and port only) (from file ${file})`;
    assert.deepEqual([...problemsOf(file)].sort(), [origin(0), origin(1), origin(2), `security.deviceSource is not a known setting (from file ${file})`].sort());
  });

  it('take MozPool’s token lock from LABPOOL_MOZPOOL_WRITES_NEED_TOKEN', () => {
    assert.equal(loadConfig({ env: { LABPOOL_MOZPOOL_WRITES_NEED_TOKEN: 'on' } }).security?.mozpoolWritesNeedToken, true);
    assert.throws(() => loadConfig({ env: { LABPOOL_MOZPOOL_WRITES_NEED_TOKEN: 'maybe' } }), /security\.mozpoolWritesNeedToken must be boolean \(from env LABPOOL_MOZPOOL_WRITES_NEED_TOKEN\)/);
  });
});

describe('address blocks', () => {
  it('parse IPv4 and IPv6 blocks; an address alone is one host', () => {
    assert.deepEqual(parseAddressBlock('10.0.0.0/8'), { address: '10.0.0.0', prefix: 8, family: 'ipv4' });
    assert.deepEqual(parseAddressBlock('2001:db8::/32'), { address: '2001:db8::', prefix: 32, family: 'ipv6' });
    assert.deepEqual(parseAddressBlock('192.0.2.1'), { address: '192.0.2.1', prefix: 32, family: 'ipv4' });
    assert.deepEqual(parseAddressBlock('::1'), { address: '::1', prefix: 128, family: 'ipv6' });
    for (const bad of ['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/8/8', 'localhost', '', '10.0.0.0 /8']) assert.equal(parseAddressBlock(bad), undefined, bad);
  });

  it('match peers inside the blocks only, IPv4-mapped IPv6 peers against IPv4 blocks', () => {
    const matches = createAddressMatcher(['10.20.0.0/16', 'fd00:10::/32']);
    for (const inside of ['10.20.0.1', '10.20.255.254', '::ffff:10.20.3.4', 'fd00:10::5', 'fd00:10:ffff::1']) assert.equal(matches(inside), true, inside);
    for (const outside of ['10.21.0.1', '127.0.0.1', '::ffff:127.0.0.1', '::1', 'fd00:11::1', 'not an address', undefined]) assert.equal(matches(outside), false, String(outside));
  });
});
