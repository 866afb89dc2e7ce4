import { raceSuite } from './three-server-race-suite.js';

raceSuite('one SQLite file', async () => ({ stop: async () => undefined }));
