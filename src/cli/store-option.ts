import { existsSync } from 'node:fs';
import type { StoreConfig } from '../config/config.js';

/**
 * `--store`: an EventStoreDB connection string, else a SQLite file that must already exist — the CLI
 * only reads, and opening a missing path would create an empty store that reports nothing.
 */
export function storeConfigOf(option: string): StoreConfig {
  if (/^esdb(\+discover)?:\/\//.test(option)) return { kind: 'eventstoredb', url: option };
  if (!existsSync(option)) throw new Error(`no SQLite store file at ${option}`);
  return { kind: 'sqlite', path: option, synchronous: 'NORMAL' };
}
