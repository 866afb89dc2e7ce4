import { startEsdbEmulator, type EsdbEmulator } from '../support/esdb-emulator.js';
import { crossServerSuite } from './cross-server-requests-suite.js';

crossServerSuite('the EventStoreDB emulator', async () => {
  const emulator: EsdbEmulator = await startEsdbEmulator();
  return { store: () => ({ kind: 'eventstoredb', url: emulator.connectionString }), stop: () => emulator.stop() };
});
