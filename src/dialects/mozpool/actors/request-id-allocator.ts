import { REQUEST_IDS_STREAM_ID } from '../domain/request-ids.js';
import type { EventMetadata } from '../../../store/port.js';
import type { MozpoolLabContext } from './mozpool-context.js';

/** Ids reserved per append: one extra event every this many requests; a restart skips what is left. */
export const REQUEST_ID_BLOCK = 64;

type Block = { next: number; readonly end: number };

/**
 * Hands out request ids from blocks reserved durably (`RequestIdsReserved`) before any id is used:
 * an id that a crash left half-used (a device attached to it, the request never opened) is never
 * handed out again. The next block is reserved when half of the current one is used, so a busy lab
 * does not wait for it; concurrent callers share one reservation in flight.
 */
export function createRequestIdAllocator(ctx: MozpoolLabContext): (metadata: EventMetadata) => Promise<number> {
  const blocks: Block[] = [];
  let reserving: Promise<void> | undefined;

  async function reserve(metadata: EventMetadata): Promise<void> {
    const command = { type: 'Reserve', count: REQUEST_ID_BLOCK, above: ctx.readModels.requests.maxId(), server: ctx.serverId, nowMs: ctx.nowMs() } as const;
    const outcome = await ctx.kinds.requestIds.ask(REQUEST_IDS_STREAM_ID, command, metadata);
    if (!outcome.ok) throw new Error(`could not reserve request ids: ${outcome.rejection.message}`);
    const reserved = outcome.events[0]?.data;
    if (reserved === undefined) throw new Error('could not reserve request ids: nothing reserved');
    blocks.push({ next: reserved.from, end: reserved.to });
  }

  const reserveOnce = (metadata: EventMetadata): Promise<void> => (reserving ??= reserve(metadata).finally(() => (reserving = undefined)));
  const remaining = () => blocks.reduce((sum, block) => sum + block.end - block.next + 1, 0);

  return async function nextRequestId(metadata) {
    while (blocks.length === 0) await reserveOnce(metadata);
    const block = blocks[0]!;
    const id = block.next++;
    if (block.next > block.end) blocks.shift();
    // Reserve ahead; a failure here shows up, and is retried, when the ids run out.
    if (remaining() < REQUEST_ID_BLOCK / 2) reserveOnce(metadata).catch(() => undefined);
    return id;
  };
}
