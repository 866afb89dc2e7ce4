import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeEventStoreContract } from '../contracts/event-store-contract.js';
import { emulatedStoreFixture } from '../support/esdb-fixture.js';

// A server that answers ServerFeatures with UNIMPLEMENTED (before 21.10) leads the client to plain
// Streams.Append: the adapter must keep the contract there too.
const plainAppend = emulatedStoreFixture('none');
describeEventStoreContract('EventStoreDB adapter against an emulator without ServerFeatures (Append)', plainAppend.create);

describe('EventStoreDB adapter against an emulator without ServerFeatures: the write path', () => {
  it('appended through Streams.Append only', (t) => {
    const calls = plainAppend.calls();
    t.diagnostic(`calls: ${JSON.stringify(calls)}`);
    assert.ok(calls !== undefined, 'the contract run finished');
    assert.ok((calls['Streams.Append'] ?? 0) > 5_000);
    assert.equal(calls['Streams.BatchAppend'], undefined);
    assert.equal(calls['ServerFeatures.GetSupportedMethods'], undefined);
  });
});
