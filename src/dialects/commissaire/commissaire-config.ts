import { randomUUID } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { LabpoolConfig } from '../../config/config.js';
import { CREDS_KEY_ENV, generateCredsKey, loadCredsKey, parseCredsKey, type CredsKey } from './creds/sealed-creds.js';

/** Investigation reuses a hardware report younger than this (ms); else it runs a self-test. */
export const DEFAULT_FACTS_MAX_AGE_MS = 600_000;

/** Where labpool keeps its credentials key when none is configured: beside the store. */
export const CREDS_KEY_FILE_NAME = 'commissaire-creds.key';

/** Commissaire's settings, with defaults applied (docs/configuration.md). */
export type CommissaireSettings = {
  readonly credsKey: CredsKey;
  /** Where the key came from, for the start log: `env …`, `configuration`, `file <path>`, `memory`. Never the key. */
  readonly credsKeyOrigin: string;
  readonly factsMaxAgeMs: number;
};

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The key from env {@link CREDS_KEY_ENV} or the configuration; else from its file, which labpool
 * creates with a random key (mode 0600) on first start. A store in memory keeps a key in memory: its
 * hosts go with it. A bad key or an unreadable file stops the start with a clear error.
 */
function credsKeyOf(config: LabpoolConfig, env: Env): { readonly key: CredsKey; readonly origin: string } {
  const section = config.commissaire ?? {};
  if ((env[CREDS_KEY_ENV] ?? '') !== '' || section.credsKey !== undefined) {
    const origin = (env[CREDS_KEY_ENV] ?? '') !== '' ? `env ${CREDS_KEY_ENV}` : 'configuration';
    return { key: loadCredsKey({ configured: section.credsKey, env }), origin };
  }
  const store = config.store;
  const file =
    section.credsKeyFile ?? (store.kind === 'sqlite' && store.path === ':memory:' ? undefined : join(store.kind === 'sqlite' ? dirname(resolve(store.path)) : resolve('.'), CREDS_KEY_FILE_NAME));
  if (file === undefined) return { key: parseCredsKey(generateCredsKey(), 'memory'), origin: 'memory' };
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    createKeyFile(file);
  }
  return { key: parseCredsKey(readFileSync(file, 'utf8'), `file ${file}`), origin: `file ${file}` };
}

/**
 * Writes a new key to a file of its own, then links it in place: the link fails if the key file exists,
 * so servers starting at once on one folder keep the first key, and none reads a file half written.
 */
function createKeyFile(file: string): void {
  const draft = `${file}.${process.pid}.${randomUUID()}`;
  writeFileSync(draft, `${generateCredsKey()}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
}

/** Commissaire's settings from labpool's configuration and environment. */
export function commissaireSettingsOf(config: LabpoolConfig, env: Env = process.env): CommissaireSettings {
  const { key, origin } = credsKeyOf(config, env);
  return { credsKey: key, credsKeyOrigin: origin, factsMaxAgeMs: config.commissaire?.factsMaxAgeMs ?? DEFAULT_FACTS_MAX_AGE_MS };
}
