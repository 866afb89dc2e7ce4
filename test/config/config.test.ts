import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/config.js';

const directory = mkdtempSync(join(tmpdir(), 'labpool-config-'));
let fileCount = 0;

function writeConfigFile(content: unknown): string {
  fileCount += 1;
  const file = join(directory, `config-${fileCount}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function assertConfigProblems(load: () => unknown, expectedProblems: readonly string[]): void {
  assert.throws(load, (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    assert.deepEqual([...error.problems].sort(), [...expectedProblems].sort());
    for (const problem of expectedProblems) assert.ok(error.message.includes(problem));
    return true;
  });
}

const defaultConfig = {
  serverId: '127.0.0.1:8010',
  http: { host: '127.0.0.1', port: 8010 },
  store: { kind: 'sqlite', path: 'data/labpool.db', synchronous: 'FULL' },
  actors: { snapshotEvery: 100, idleShutdownMs: 300_000, queryTimeoutMs: 30_000 },
  inventory: { file: null, forceSync: false },
  hardware: {
    tftp: { host: '127.0.0.1', port: 16969, root: 'data/tftp' },
    pxe: { serverAddress: '127.0.0.1' },
    power: { defaultCommunity: 'private', defaultModel: 'apc_spdu', timeoutMs: 1000, retries: 2, pauseBetweenMs: 20, offOnDelayMs: 500 },
    verify: { timeoutMs: 2000, defaultTcpPort: 22 },
  },
  sim: {
    enabled: true,
    external: false,
    devices: 24,
    stepDelayMs: 400,
    pduPorts: [16161, 16162],
    faults: { 'sim-0003': { hangBefore: 'ubuntu_extracting' }, 'sim-0004': { failsSelfTest: true }, 'sim-0024': { deadOutlet: true } },
  },
  auth: { usersFile: null, tokenUseIntervalMs: 60_000 },
  security: { mozpoolWritesNeedToken: false, deviceSources: null },
};

describe('loadConfig', () => {
  after(() => rmSync(directory, { recursive: true, force: true }));

  it('uses the defaults when no file and no variables are given', () => {
    assert.deepEqual(loadConfig({ env: {} }), defaultConfig);
  });

  it('overlays a config file on the defaults and derives serverId from its http settings', () => {
    const file = writeConfigFile({
      http: { port: 9000 },
      store: { path: '/var/lib/labpool/events.db', synchronous: 'NORMAL' },
      actors: { snapshotEvery: 10 },
    });
    assert.deepEqual(loadConfig({ file, env: {} }), {
      serverId: '127.0.0.1:9000',
      http: { host: '127.0.0.1', port: 9000 },
      store: { kind: 'sqlite', path: '/var/lib/labpool/events.db', synchronous: 'NORMAL' },
      actors: { snapshotEvery: 10, idleShutdownMs: 300_000, queryTimeoutMs: 30_000 },
      inventory: { file: null, forceSync: false },
      hardware: defaultConfig.hardware,
      sim: defaultConfig.sim,
      auth: defaultConfig.auth,
      security: defaultConfig.security,
    });
  });

  it('finds the file through LABPOOL_CONFIG and lets variables override it', () => {
    const file = writeConfigFile({ serverId: 'lab1.example:9000', http: { host: '10.0.0.5', port: 9000 } });
    const env = { LABPOOL_CONFIG: file, LABPOOL_PORT: '9100', LABPOOL_SERVER_ID: 'lab1.example:9100' };
    assert.deepEqual(loadConfig({ env }), {
      ...defaultConfig,
      serverId: 'lab1.example:9100',
      http: { host: '10.0.0.5', port: 9100 },
    });
  });

  it('reads every variable', () => {
    const env = {
      LABPOOL_HOST: '0.0.0.0',
      LABPOOL_PORT: '0',
      LABPOOL_SQLITE_PATH: ':memory:',
      LABPOOL_SQLITE_SYNC: 'NORMAL',
      LABPOOL_SNAPSHOT_EVERY: '50',
      LABPOOL_IDLE_SHUTDOWN_MS: '60000',
      LABPOOL_QUERY_TIMEOUT_MS: '5000',
      LABPOOL_INVENTORY: '/etc/labpool/inventory.json',
      LABPOOL_INVENTORY_FORCE_SYNC: '1',
      LABPOOL_TFTP_PORT: '6969',
      LABPOOL_TFTP_ROOT: '/srv/tftp',
      LABPOOL_SIM_DEVICES: '30',
      LABPOOL_USERS_FILE: '/etc/labpool/users.json',
      LABPOOL_MOZPOOL_WRITES_NEED_TOKEN: 'yes',
    };
    assert.deepEqual(loadConfig({ env }), {
      serverId: '0.0.0.0:0',
      http: { host: '0.0.0.0', port: 0 },
      store: { kind: 'sqlite', path: ':memory:', synchronous: 'NORMAL' },
      actors: { snapshotEvery: 50, idleShutdownMs: 60_000, queryTimeoutMs: 5_000 },
      inventory: { file: '/etc/labpool/inventory.json', forceSync: true },
      hardware: { ...defaultConfig.hardware, tftp: { host: '127.0.0.1', port: 6969, root: '/srv/tftp' } },
      sim: { ...defaultConfig.sim, devices: 30 },
      auth: { ...defaultConfig.auth, usersFile: '/etc/labpool/users.json' },
      security: { mozpoolWritesNeedToken: true, deviceSources: null },
    });
  });

  it('forces inventory syncs from LABPOOL_INVENTORY_FORCE_SYNC, over the file', () => {
    const file = writeConfigFile({ inventory: { file: '/etc/labpool/inventory.json', forceSync: true } });
    for (const on of ['1', 'true', 'yes', 'on', 'TRUE']) assert.equal(loadConfig({ env: { LABPOOL_INVENTORY_FORCE_SYNC: on } }).inventory.forceSync, true, on);
    for (const off of ['0', 'false', 'no', 'off']) assert.equal(loadConfig({ file, env: { LABPOOL_INVENTORY_FORCE_SYNC: off } }).inventory.forceSync, false, off);
    assert.deepEqual(loadConfig({ file, env: { LABPOOL_INVENTORY_FORCE_SYNC: '' } }).inventory, { file: '/etc/labpool/inventory.json', forceSync: true });
    assertConfigProblems(() => loadConfig({ env: { LABPOOL_INVENTORY_FORCE_SYNC: 'please' } }), ['inventory.forceSync must be boolean (from env LABPOOL_INVENTORY_FORCE_SYNC)']);
  });

  it('takes state limit overrides from the file and rejects malformed ones', () => {
    const file = writeConfigFile({ lifeguardLimits: { verifying: { timeoutMs: 1000, maxCount: 3 } }, mozpoolLimits: { pendingMaxTimeouts: 4 } });
    const config = loadConfig({ file, env: {} });
    assert.deepEqual(config.lifeguardLimits, { verifying: { timeoutMs: 1000, maxCount: 3 } });
    assert.deepEqual(config.mozpoolLimits, { pendingMaxTimeouts: 4 });
    const bad = writeConfigFile({ lifeguardLimits: { verifying: { timeoutMs: -5 } }, mozpoolLimits: { pendingMaxTimeout: 4 } });
    assert.throws(
      () => loadConfig({ file: bad, env: {} }),
      (error: Error) => error.message.includes('lifeguardLimits.verifying.timeoutMs') && error.message.includes('mozpoolLimits.pendingMaxTimeout is not a known setting'),
    );
  });

  it('selects EventStoreDB when only EVENTSTORE_URL is set, ignoring the SQLite variables', () => {
    const env = { EVENTSTORE_URL: 'esdb://eventstore:2113?tls=false', LABPOOL_SQLITE_PATH: 'ignored.db' };
    assert.deepEqual(loadConfig({ env }).store, { kind: 'eventstoredb', url: 'esdb://eventstore:2113?tls=false' });
  });

  it('keeps SQLite when LABPOOL_STORE=sqlite, even with EVENTSTORE_URL set', () => {
    const env = { LABPOOL_STORE: 'sqlite', EVENTSTORE_URL: 'esdb://eventstore:2113?tls=false' };
    assert.deepEqual(loadConfig({ env }).store, defaultConfig.store);
  });

  it('takes an EventStoreDB cluster from the file; the environment can change its URL or the store', () => {
    const file = writeConfigFile({ store: { kind: 'eventstoredb', url: 'esdb://a:2113,b:2113,c:2113?tls=false' } });
    assert.deepEqual(loadConfig({ file, env: {} }).store, {
      kind: 'eventstoredb',
      url: 'esdb://a:2113,b:2113,c:2113?tls=false',
    });
    const env = { EVENTSTORE_URL: 'esdb+discover://cluster.lab:2113' };
    assert.deepEqual(loadConfig({ file, env }).store, { kind: 'eventstoredb', url: 'esdb+discover://cluster.lab:2113' });
    assert.deepEqual(loadConfig({ file, env: { LABPOOL_STORE: 'sqlite' } }).store, defaultConfig.store);
  });

  it('treats empty variables as unset', () => {
    assert.deepEqual(loadConfig({ env: { LABPOOL_PORT: '', EVENTSTORE_URL: '', LABPOOL_CONFIG: '' } }), defaultConfig);
  });

  it('rejects variables that are not integers, naming the field and the variable', () => {
    assertConfigProblems(
      () => loadConfig({ env: { LABPOOL_PORT: '80a', LABPOOL_QUERY_TIMEOUT_MS: '1.5' } }),
      ['http.port must be integer (from env LABPOOL_PORT)', 'actors.queryTimeoutMs must be integer (from env LABPOOL_QUERY_TIMEOUT_MS)'],
    );
  });

  it('rejects out-of-range and unknown values from the environment', () => {
    assertConfigProblems(
      () => loadConfig({ env: { LABPOOL_PORT: '70000', LABPOOL_SQLITE_SYNC: 'OFF', LABPOOL_SERVER_ID: 'no-port' } }),
      [
        'http.port must be <= 65535 (from env LABPOOL_PORT)',
        'store.synchronous must be one of FULL, NORMAL (from env LABPOOL_SQLITE_SYNC)',
        'serverId must match pattern "^\\S+:\\d{1,5}$" (from env LABPOOL_SERVER_ID)',
      ],
    );
  });

  it('rejects an unknown store kind', () => {
    assertConfigProblems(() => loadConfig({ env: { LABPOOL_STORE: 'mysql' } }), ['store.kind must be one of sqlite, eventstoredb (from env LABPOOL_STORE)']);
  });

  it('requires a URL once EventStoreDB is selected', () => {
    assertConfigProblems(() => loadConfig({ env: { LABPOOL_STORE: 'eventstoredb' } }), ['store.url is required (from env LABPOOL_STORE)']);
  });

  it('names every bad field of a file with the file it came from', () => {
    const file = writeConfigFile({ http: { port: -1 }, actors: { snapshotEvery: 'ten', idleShutdownMs: 0 } });
    assertConfigProblems(
      () => loadConfig({ file, env: {} }),
      [`http.port must be >= 0 (from file ${file})`, `actors.snapshotEvery must be integer (from file ${file})`, `actors.idleShutdownMs must be >= 1 (from file ${file})`],
    );
  });

  it('rejects unknown keys in the file, nested or not', () => {
    const file = writeConfigFile({ http: { hots: 'example' }, logLevel: 'debug' });
    const fileWithProto = writeConfigFile('{"__proto__": {"isAdmin": true}, "http": {"__proto__": {"port": 1}}}');
    assertConfigProblems(() => loadConfig({ file, env: {} }), [`http.hots is not a known setting (from file ${file})`, `logLevel is not a known setting (from file ${file})`]);
    assertConfigProblems(
      () => loadConfig({ file: fileWithProto, env: {} }),
      [`__proto__ is not a known setting (from file ${fileWithProto})`, `http.__proto__ is not a known setting (from file ${fileWithProto})`],
    );
    assert.equal(({} as Record<string, unknown>)['isAdmin'], undefined, 'Object.prototype must stay untouched');
  });

  it('rejects settings of the other store kind and URLs that are not EventStoreDB connection strings', () => {
    const sqliteWithUrl = writeConfigFile({ store: { kind: 'sqlite', url: 'esdb://eventstore:2113' } });
    assertConfigProblems(() => loadConfig({ file: sqliteWithUrl, env: {} }), [`store.url is not a known setting (from file ${sqliteWithUrl})`]);
    const httpUrl = writeConfigFile({ store: { kind: 'eventstoredb', url: 'http://eventstore:2113' } });
    assertConfigProblems(() => loadConfig({ file: httpUrl, env: {} }), [`store.url must match pattern "^esdb(\\+discover)?://" (from file ${httpUrl})`]);
  });

  it('rejects a file that is missing, not JSON, or not an object', () => {
    const missing = join(directory, 'missing.json');
    assert.throws(
      () => loadConfig({ file: missing, env: {} }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, new RegExp(`config file ${missing} cannot be read: ENOENT`));
        return true;
      },
    );
    const notJson = writeConfigFile('{ "http": ');
    assert.throws(
      () => loadConfig({ file: notJson, env: {} }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, new RegExp(`config file ${notJson} cannot be read: .*JSON`));
        return true;
      },
    );
    const array = writeConfigFile([1, 2]);
    assertConfigProblems(() => loadConfig({ file: array, env: {} }), [`config file ${array} must hold a JSON object`]);
  });
});
