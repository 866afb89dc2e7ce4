import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectEventStoreDb } from '../../src/store/eventstoredb-store.js';
import { StoreUnavailableError } from '../../src/store/port.js';
import { findFreeTcpPort } from '../support/free-port.js';
import { describeEventStoreContract, type StoreFixture } from '../contracts/event-store-contract.js';
import { startEsdbEmulator } from '../support/esdb-emulator.js';

async function createEmulatedStore(): Promise<StoreFixture> {
  const emulator = await startEsdbEmulator();
  const store = connectEventStoreDb(emulator.connectionString);
  return {
    store,
    async dispose() {
      await store.close();
      await emulator.stop();
    },
  };
}

describeEventStoreContract('EventStoreDB adapter against the gRPC emulator', createEmulatedStore);

describe('EventStoreDB adapter with no server', () => {
  it('refuses appends and snapshots with StoreUnavailableError(unreachable): HTTP answers 503', async () => {
    const store = connectEventStoreDb(`esdb://127.0.0.1:${await findFreeTcpPort()}?tls=false`);
    try {
      const unreachable = (error: unknown) => error instanceof StoreUnavailableError && error.reason === 'unreachable';
      await assert.rejects(store.appendToStream('thing-1', [{ type: 'ThingHappened', data: {} }], 'any'), unreachable);
      await assert.rejects(store.writeSnapshot('thing-1', { revision: 0, state: {} }), unreachable);
    } finally {
      await store.close();
    }
  });
});

const serverUrl = process.env.EVENTSTORE_URL;
if (serverUrl === undefined) {
  describe(
    'event store contract: EventStoreDB adapter against a real server',
    {
      skip: 'EVENTSTORE_URL not set: set it to e.g. esdb://127.0.0.1:2113?tls=false to run the contract against a real node',
    },
    () => {
      // Skipped: no server to run the contract against.
    },
  );
} else {
  // A shared server keeps data between runs: the contract uses fresh stream names per test for that reason.
  describeEventStoreContract('EventStoreDB adapter against a real server', async () => {
    const store = connectEventStoreDb(serverUrl);
    return { store, dispose: () => store.close() };
  });
}
