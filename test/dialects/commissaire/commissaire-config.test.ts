import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig, type CommissaireConfigFile, type LabpoolConfig } from '../../../src/config/config.js';
import { CREDS_KEY_FILE_NAME, DEFAULT_FACTS_MAX_AGE_MS, commissaireSettingsOf } from '../../../src/dialects/commissaire/commissaire-config.js';
import { CREDS_KEY_ENV, generateCredsKey, openCreds, sealCreds } from '../../../src/dialects/commissaire/creds/sealed-creds.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'labpool-commconfig-'));
  dirs.push(dir);
  return dir;
}

/** The default configuration on a SQLite store at `storePath`, with a Commissaire section. */
function configOf(storePath: string, commissaire?: CommissaireConfigFile): LabpoolConfig {
  const base = loadConfig({ env: {} });
  return { ...base, store: { kind: 'sqlite', path: storePath, synchronous: 'NORMAL' }, ...(commissaire === undefined ? {} : { commissaire }) };
}

const keyText = (settings: ReturnType<typeof commissaireSettingsOf>) => settings.credsKey.bytes.toString('base64');

describe('Commissaire settings: the credentials key', () => {
  it('takes the key from env over the configured one', () => {
    const [fromEnv, configured] = [generateCredsKey(), generateCredsKey()];
    const settings = commissaireSettingsOf(configOf(join(tempDir(), 'events.db'), { credsKey: configured }), { [CREDS_KEY_ENV]: fromEnv });
    assert.equal(keyText(settings), fromEnv);
    assert.equal(settings.credsKeyOrigin, `env ${CREDS_KEY_ENV}`);
    const fromConfig = commissaireSettingsOf(configOf(join(tempDir(), 'events.db'), { credsKey: configured }), { [CREDS_KEY_ENV]: '' });
    assert.deepEqual([keyText(fromConfig), fromConfig.credsKeyOrigin], [configured, 'configuration']);
  });

  it('never writes a key file when a key is given', () => {
    const dir = tempDir();
    commissaireSettingsOf(configOf(join(dir, 'events.db')), { [CREDS_KEY_ENV]: generateCredsKey() });
    assert.equal(existsSync(join(dir, CREDS_KEY_FILE_NAME)), false);
  });

  it('stops with an error naming where a bad key came from, never quoting it', () => {
    const bad = 'c2hvcnQ=';
    assert.throws(
      () => commissaireSettingsOf(configOf(join(tempDir(), 'events.db')), { [CREDS_KEY_ENV]: bad }),
      (error: Error) => {
        assert.match(error.message, new RegExp(`^env ${CREDS_KEY_ENV}: .*base64 of 32 bytes`));
        assert.doesNotMatch(error.message, new RegExp(bad));
        return true;
      },
    );
    assert.throws(() => commissaireSettingsOf(configOf(join(tempDir(), 'events.db'), { credsKey: 'not a key at all' }), {}), /^Error: configuration: .*base64 of 32 bytes/);
  });

  it('without a key, creates commissaire-creds.key beside the store (0600) and reads the same key back', () => {
    const dir = tempDir();
    const config = configOf(join(dir, 'data', 'events.db'));
    const first = commissaireSettingsOf(config, {});
    const file = join(dir, 'data', CREDS_KEY_FILE_NAME);
    assert.equal(first.credsKeyOrigin, `file ${file}`);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(readFileSync(file, 'utf8').trim(), keyText(first));
    const second = commissaireSettingsOf(config, {});
    assert.equal(keyText(second), keyText(first));
    // What the first start sealed, the next one opens.
    const sealed = sealCreds({ ssh_priv_key: 'a2V5', remote_user: 'root' }, first.credsKey);
    assert.deepEqual(openCreds(sealed, second.credsKey), { ok: true, creds: { ssh_priv_key: 'a2V5', remote_user: 'root' } });
  });

  it('gives servers that start at once on one folder the same key, none reading it half written', async () => {
    const dir = tempDir();
    const script = [
      "import { commissaireSettingsOf } from './src/dialects/commissaire/commissaire-config.ts';",
      "import { loadConfig } from './src/config/config.ts';",
      `const config = { ...loadConfig({ env: {} }), store: { kind: 'sqlite', path: ${JSON.stringify(join(dir, 'events.db'))}, synchronous: 'NORMAL' } };`,
      "console.log(commissaireSettingsOf(config, {}).credsKey.bytes.toString('base64'));",
    ].join('\n');
    const keys = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        const [code] = (await once(child, 'exit')) as [number];
        assert.equal(code, 0, output);
        return output.trim();
      }),
    );
    assert.equal(new Set(keys).size, 1, keys.join(' '));
    assert.equal(readFileSync(join(dir, CREDS_KEY_FILE_NAME), 'utf8').trim(), keys[0]);
    assert.deepEqual(readdirSync(dir), [CREDS_KEY_FILE_NAME], 'no draft left behind');
  });

  it('reads and creates the key at credsKeyFile when configured', () => {
    const dir = tempDir();
    const existing = join(dir, 'existing.key');
    const key = generateCredsKey();
    writeFileSync(existing, `${key}\n`, { mode: 0o600 });
    const read = commissaireSettingsOf(configOf(join(dir, 'events.db'), { credsKeyFile: existing }), {});
    assert.deepEqual([keyText(read), read.credsKeyOrigin], [key, `file ${existing}`]);
    const made = join(dir, 'keys', 'new.key');
    const created = commissaireSettingsOf(configOf(join(dir, 'events.db'), { credsKeyFile: made }), {});
    assert.equal(readFileSync(made, 'utf8').trim(), keyText(created));
    assert.equal(existsSync(join(dir, CREDS_KEY_FILE_NAME)), false);
  });

  it('stops with an error naming a key file that holds no key', () => {
    const file = join(tempDir(), 'broken.key');
    writeFileSync(file, 'hello\n');
    assert.throws(() => commissaireSettingsOf(configOf(join(tempDir(), 'events.db'), { credsKeyFile: file }), {}), new RegExp(`^Error: file ${file}: .*base64 of 32 bytes`));
  });

  it('keeps the key of a store in memory in memory: a new one each time, no file', () => {
    const strayFile = join(process.cwd(), CREDS_KEY_FILE_NAME);
    const strayBefore = existsSync(strayFile);
    const first = commissaireSettingsOf(configOf(':memory:'), {});
    const second = commissaireSettingsOf(configOf(':memory:'), {});
    assert.deepEqual([first.credsKeyOrigin, second.credsKeyOrigin], ['memory', 'memory']);
    assert.notEqual(keyText(first), keyText(second));
    assert.equal(first.credsKey.bytes.length, 32);
    assert.equal(existsSync(strayFile), strayBefore);
  });

  it('defaults factsMaxAgeMs, and takes the configured one', () => {
    const env = { [CREDS_KEY_ENV]: generateCredsKey() };
    assert.equal(commissaireSettingsOf(configOf(':memory:'), env).factsMaxAgeMs, DEFAULT_FACTS_MAX_AGE_MS);
    assert.equal(commissaireSettingsOf(configOf(':memory:', { factsMaxAgeMs: 0 }), env).factsMaxAgeMs, 0);
  });
});
