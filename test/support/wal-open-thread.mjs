// The entry of wal-open-thread-body.ts: worker threads do not inherit tsx's loader from the main thread on Node 20.
import { register } from 'tsx/esm/api';

register();
await import('./wal-open-thread-body.ts');
