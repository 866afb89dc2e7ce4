import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StoreConfig } from '../config/config.js';
import { lazyStore } from './lazy-store.js';
import type { EventStore } from './port.js';
import { openSqliteStore } from './sqlite-store.js';

/** Opens the configured adapter; a SQLite file's folder is created if missing. */
export function createEventStore(config: StoreConfig): EventStore {
  switch (config.kind) {
    case 'sqlite':
      if (config.path !== ':memory:') mkdirSync(dirname(config.path), { recursive: true });
      return openSqliteStore({ path: config.path, synchronous: config.synchronous });
    case 'eventstoredb':
      // Loaded on first use: a server on SQLite does not import EventStoreDB's client at all.
      return lazyStore(async () => (await import('./eventstoredb-store.js')).connectEventStoreDb(config.url));
    default:
      return config satisfies never;
  }
}
