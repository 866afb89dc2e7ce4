import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StoreConfig } from '../config/config.js';
import { connectEventStoreDb } from './eventstoredb-store.js';
import type { EventStore } from './port.js';
import { openSqliteStore } from './sqlite-store.js';

/** Opens the configured adapter; a SQLite file's folder is created if missing. */
export function createEventStore(config: StoreConfig): EventStore {
  switch (config.kind) {
    case 'sqlite':
      if (config.path !== ':memory:') mkdirSync(dirname(config.path), { recursive: true });
      return openSqliteStore({ path: config.path, synchronous: config.synchronous });
    case 'eventstoredb':
      return connectEventStoreDb(config.url);
    default:
      return config satisfies never;
  }
}
