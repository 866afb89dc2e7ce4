/** Contract fixtures on the gRPC emulator that also keep the emulator's method-call counts for a later check. */
import { connectEventStoreDb } from '../../src/store/eventstoredb-store.js';
import type { StoreFixture } from '../contracts/event-store-contract.js';
import { startEsdbEmulator, type EmulatedFeatures } from './esdb-emulator.js';

export interface CountedFixture {
  readonly create: () => Promise<StoreFixture>;
  /** The emulator's calls per method once the fixture was disposed; undefined before. */
  readonly calls: () => Readonly<Record<string, number>> | undefined;
}

export function emulatedStoreFixture(features: EmulatedFeatures): CountedFixture {
  let calls: Readonly<Record<string, number>> | undefined;
  const create = async (): Promise<StoreFixture> => {
    const emulator = await startEsdbEmulator({ features });
    const store = connectEventStoreDb(emulator.connectionString);
    return {
      store,
      async dispose() {
        await store.close();
        calls = emulator.calls();
        await emulator.stop();
      },
    };
  };
  return { create, calls: () => calls };
}
