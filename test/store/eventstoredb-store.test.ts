import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectEventStoreDb } from '../../src/store/eventstoredb-store.js';
import { StoreUnavailableError } from '../../src/store/port.js';
import { findFreeTcpPort } from '../support/free-port.js';
import { describeEventStoreContract } from '../contracts/event-store-contract.js';
import { emulatedStoreFixture } from '../support/esdb-fixture.js';

// What a 24.10 node advertises leads the client to Streams.BatchAppend; eventstoredb-plain-append.test.ts
// runs the same contract over the plain Streams.Append path.
const batchAppend = emulatedStoreFixture('batch-append');
describeEventStoreContract('EventStoreDB adapter against a 24.10-like emulator (BatchAppend)', batchAppend.create);

describe('EventStoreDB adapter against a 24.10-like emulator: the write path', () => {
  it('read the server features once and appended through Streams.BatchAppend only', (t) => {
    const calls = batchAppend.calls();
    t.diagnostic(`calls: ${JSON.stringify(calls)}`);
    assert.ok(calls !== undefined, 'the contract run finished');
    assert.equal(calls['ServerFeatures.GetSupportedMethods'], 1);
    // The contract's 10,000-event test alone makes 5,000 appends, all over one BatchAppend stream.
    assert.ok((calls['Streams.BatchAppend.appends'] ?? 0) > 5_000);
    assert.equal(calls['Streams.BatchAppend'], 1);
    assert.equal(calls['Streams.Append'], undefined);
  });
});

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
