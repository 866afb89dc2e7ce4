import type { WritabilityChange } from '../metrics/store-writability.js';
import type { Logger } from './logger.js';

/**
 * One error line when the store starts refusing writes and one info line when it takes them again:
 * an episode is logged once, however many commands it refuses meanwhile.
 */
export function logStoreWritabilityTo(logger: Logger): (change: WritabilityChange) => void {
  const child = logger.child({ component: 'store' });
  return (change) => {
    if (change.kind === 'refusing') {
      const { error } = change;
      child.error({ err: error, reason: error.reason }, `${error.message}: commands are answered 503 until a write succeeds`);
      return;
    }
    const { reason, refusedWrites, durationMs } = change;
    child.info({ reason, refusedWrites, durationMs }, `the event store writes again, after ${refusedWrites} refused writes in ${durationMs} ms`);
  };
}
