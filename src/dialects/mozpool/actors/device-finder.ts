import type { FindOutcome } from '../domain/request-commands.js';
import { requestHolder } from '../domain/request-holder.js';
import type { LabDevice } from '../../../projections/read-models.js';
import type { EventMetadata } from '../../../store/port.js';
import type { MozpoolLabContext } from './mozpool-context.js';
import { PeerCallError } from '../../../lab/peers/peer-client.js';

/** Candidates asked to attach per try: enough to ride out a stale read model, few enough to stay quick. */
const MAX_ATTACH_ATTEMPTS = 8;

export type FindCriteria = {
  readonly requestId: number;
  /** A device name or `any`. */
  readonly requestedDevice: string;
  readonly environment: string;
  readonly image: string;
  readonly bootConfig: string;
};

/**
 * Finds a free device and attaches it to the request. Candidates come from the read model (fast,
 * maybe a moment stale); the device actor's attach decides (authoritative), so a stale candidate
 * costs one more try, never a double assignment.
 */
export async function findAndAttach(ctx: MozpoolLabContext, criteria: FindCriteria, metadata: EventMetadata): Promise<FindOutcome> {
  if (criteria.requestedDevice !== 'any') return attachNamed(ctx, criteria, metadata);
  /** Servers that did not answer during this search: their other candidates are passed over. */
  const silent = new Set<string>();
  for (const candidate of rankCandidates(ctx, criteria)) {
    if (silent.has(candidate.imagingServer)) continue;
    const attached = await attach(ctx, candidate.name, criteria.requestId, metadata);
    if (attached === 'silent') silent.add(candidate.imagingServer);
    else if (attached) return { kind: 'attached', device: candidate.name };
  }
  return { kind: 'none_free' };
}

async function attachNamed(ctx: MozpoolLabContext, criteria: FindCriteria, metadata: EventMetadata): Promise<FindOutcome> {
  const view = ctx.readModels.devices.get(criteria.requestedDevice);
  if (view === undefined) return { kind: 'none_free' };
  if (view.state.startsWith('failed_')) return { kind: 'bad_device' };
  const attached = await attach(ctx, view.name, criteria.requestId, metadata);
  if (attached === 'silent') return { kind: 'busy', silentServer: view.imagingServer };
  return attached ? { kind: 'attached', device: view.name } : { kind: 'busy' };
}

/** Whether the device took the request; `silent` when its server did not answer (none of its devices can be had now). */
async function attach(ctx: MozpoolLabContext, device: string, requestId: number, metadata: EventMetadata): Promise<boolean | 'silent'> {
  const command = { type: 'AttachHolder', holder: requestHolder(requestId), nowMs: ctx.nowMs() } as const;
  try {
    return (await ctx.kinds.devices.ask(device, command, metadata)).ok;
  } catch (error) {
    // Its server did not answer: the device cannot be had from here now, another candidate may.
    if (!(error instanceof PeerCallError)) throw error;
    // Said once per silence: calls while the server is left alone are not made, so not news.
    if (!error.unasked) ctx.warn({ device, error: error.message }, `could not ask ${device} for request ${requestId}: ${error.message}`);
    return 'silent';
  }
}

/**
 * Free devices in the environment, this server's first (MozPool's own), then, when the lab's servers
 * talk to each other, other servers': at most MAX_ATTACH_ATTEMPTS of each, so that a burst that
 * takes the local ones faster than the read model shows still finds the others'.
 */
function rankCandidates(ctx: MozpoolLabContext, criteria: FindCriteria): LabDevice[] {
  const local = rankAmong(ctx, criteria, (device) => device.imagingServer === ctx.serverId);
  if (!ctx.peers.enabled) return local;
  return local.concat(rankAmong(ctx, criteria, (device) => device.imagingServer !== ctx.serverId));
}

/**
 * Free devices that `keep` accepts; those already running the image (when reusable) first; at most
 * MAX_ATTACH_ATTEMPTS of them, picked at random, without copying the free list: this runs on every lease.
 */
function rankAmong(ctx: MozpoolLabContext, criteria: FindCriteria, keep: (device: LabDevice) => boolean): LabDevice[] {
  const image = ctx.readModels.images.get(criteria.image);
  const free = ctx.readModels.devices.free(criteria.environment);
  if (image?.canReuse === true) {
    const reusable = sample(free, (device) => keep(device) && device.image === criteria.image && device.bootConfig === criteria.bootConfig, MAX_ATTACH_ATTEMPTS);
    if (reusable.length > 0) return reusable;
  }
  return sample(free, keep, MAX_ATTACH_ATTEMPTS);
}

/**
 * Up to `count` of the items that `keep` accepts, a uniform random choice in random order. Random
 * probes first (a large free list is mostly kept: a few probes do); when they come up short, one
 * reservoir-sampling pass over all items.
 */
function sample<T>(items: readonly T[], keep: (item: T) => boolean, count: number): T[] {
  const picked = new Set<T>();
  for (let probe = 0; probe < 4 * count && picked.size < count && items.length > 2 * count; probe++) {
    const item = items[Math.floor(Math.random() * items.length)]!;
    if (keep(item)) picked.add(item);
  }
  if (picked.size === count) return [...picked];
  return scan(items, keep, count);
}

/** Reservoir sampling in one pass. */
function scan<T>(items: readonly T[], keep: (item: T) => boolean, count: number): T[] {
  const picked: T[] = [];
  let kept = 0;
  for (const item of items) {
    if (!keep(item)) continue;
    kept++;
    if (picked.length < count) picked.push(item);
    else {
      const j = Math.floor(Math.random() * kept);
      if (j < count) picked[j] = item;
    }
  }
  return shuffle(picked);
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
