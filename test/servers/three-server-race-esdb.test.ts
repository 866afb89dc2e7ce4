import { startEsdbEmulator, type EsdbEmulator } from '../support/esdb-emulator.js';
import { raceSuite } from './three-server-race-suite.js';

raceSuite('the EventStoreDB emulator', async () => {
  const emulator: EsdbEmulator = await startEsdbEmulator();
  return { store: () => ({ kind: 'eventstoredb', url: emulator.connectionString }), stop: () => emulator.stop() };
});
