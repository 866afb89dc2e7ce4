// The writer thread's entry: worker threads do not inherit tsx's loader from the main thread on Node 20.
import { register } from 'tsx/esm/api';

register();
await import('./sqlite-writer-worker.ts');
