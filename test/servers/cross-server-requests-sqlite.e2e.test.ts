import { crossServerSuite } from './cross-server-requests-suite.js';

crossServerSuite('one SQLite file', async () => ({ store: (dir) => ({ kind: 'sqlite', path: `${dir}/events.db`, synchronous: 'NORMAL' }), stop: async () => undefined }));
