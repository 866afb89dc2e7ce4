import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { LabpoolConfig } from '../../config/config.js';
import { createFileOnce } from '../../config/create-file-once.js';
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
    // Servers starting at once on one folder: the first key linked in place is everyone's.
    createFileOnce(file, `${generateCredsKey()}\n`, 0o600);
  }
  return { key: parseCredsKey(readFileSync(file, 'utf8'), `file ${file}`), origin: `file ${file}` };
}

/** Commissaire's settings from labpool's configuration and environment. */
export function commissaireSettingsOf(config: LabpoolConfig, env: Env = process.env): CommissaireSettings {
  const { key, origin } = credsKeyOf(config, env);
  return { credsKey: key, credsKeyOrigin: origin, factsMaxAgeMs: config.commissaire?.factsMaxAgeMs ?? DEFAULT_FACTS_MAX_AGE_MS };
}
