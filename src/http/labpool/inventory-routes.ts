import type { Router } from '@koa/router';
import type { Middleware } from 'koa';
import { InventorySyncRefusedError } from '../../lab/inventory-sync.js';
import { httpError } from '../errors.js';
import { findStoreUnavailable } from '../../store/port.js';

export type InventorySyncAnswer = { readonly devices: number; readonly retired: readonly string[] };

/** What labpool's own inventory endpoint needs: a sync of the configured inventory file. */
export interface InventoryAdmin {
  /** Undefined when the server has no inventory file configured. */
  readonly file: string | undefined;
  sync(force: boolean): Promise<InventorySyncAnswer>;
}

/**
 * `POST /labpool/inventory/sync[?force=1]`: re-reads the inventory file and applies it at run time.
 * Errors are problem+json: 409 without a file or when the sync is refused, 400 for a bad file (a
 * field, a `relay_info` that does not parse or names an unknown PDU model): nothing of it is applied;
 * 503 when the event store cannot write. `access` runs first: the lock on labpool's write routes.
 */
export function registerInventoryRoutes(router: Router, admin: InventoryAdmin, access: Middleware): void {
  router.post('/labpool/inventory/sync{/}', access, async (ctx) => {
    if (admin.file === undefined) throw httpError(409, 'this server has no inventory file configured (inventory.file, LABPOOL_INVENTORY)');
    const force = ctx.query.force === '1' || ctx.query.force === 'true';
    try {
      ctx.body = { file: admin.file, ...(await admin.sync(force)) };
    } catch (error) {
      // The store, not the file, failed: the error path answers 503.
      if (findStoreUnavailable(error) !== undefined) throw error;
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof InventorySyncRefusedError) throw httpError(409, message, { title: 'Inventory sync refused' });
      throw httpError(400, message, { title: 'Inventory file unusable', cause: error });
    }
  });
}
