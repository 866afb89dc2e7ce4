import type { Router } from '@koa/router';
import { httpError } from '../errors.js';

export type InventorySyncAnswer = { readonly devices: number; readonly retired: readonly string[] };

/** What labpool's own inventory endpoint needs: a sync of the configured inventory file. */
export interface InventoryAdmin {
  /** Undefined when the server has no inventory file configured. */
  readonly file: string | undefined;
  sync(force: boolean): Promise<InventorySyncAnswer>;
}

/**
 * `POST /labpool/inventory/sync[?force=1]`: re-reads the inventory file and applies it at run time.
 * Errors are problem+json: 409 without a file or when the sync is refused, 422 for a bad file.
 */
export function registerInventoryRoutes(router: Router, admin: InventoryAdmin): void {
  router.post('/labpool/inventory/sync{/}', async (ctx) => {
    if (admin.file === undefined) throw httpError(409, 'this server has no inventory file configured (inventory.file, LABPOOL_INVENTORY)');
    const force = ctx.query.force === '1' || ctx.query.force === 'true';
    try {
      ctx.body = { file: admin.file, ...(await admin.sync(force)) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/refused/.test(message)) throw httpError(409, message, { title: 'Inventory sync refused' });
      throw httpError(422, message, { title: 'Inventory file unusable', cause: error });
    }
  });
}
