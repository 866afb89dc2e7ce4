import type { PoolConfig } from './pool-config.js';

/**
 * Where one of a pool's devices is (not counting those checked out):
 * - `waiting`: taken from the free devices, not yet being imaged;
 * - `imaging`: being imaged with the pool's image;
 * - `ready`: imaged, waiting for a checkout;
 * - `completed`: back from a deleted or expired VM, to be imaged again;
 * - `failed`: its imaging failed; the pool lets it go to follow its failed path.
 */
export type MemberPhase = 'waiting' | 'imaging' | 'ready' | 'completed' | 'failed';

export type PoolMember = {
  readonly device: string;
  readonly phase: MemberPhase;
  /** When it entered its phase (epoch ms). */
  readonly sinceMs: number;
  /** The image it was (or is being) imaged with; '' when none yet. */
  readonly image: string;
};

/** What the pool's holder should do next; every action is an idempotent device command. */
export type PoolAction =
  | { readonly type: 'take'; readonly device: string }
  | { readonly type: 'image'; readonly device: string; readonly why: string }
  | { readonly type: 'release'; readonly device: string; readonly why: string };

/**
 * A pool's queues as the planner reads them. Only the small queues are lists; the ready devices may be
 * tens of thousands, so the planner reads them oldest first and stops as soon as it can: a plan costs
 * what it changes, not what the pool holds.
 */
export type PoolQueuesInput = {
  readonly waiting: readonly string[];
  readonly imaging: number;
  readonly completed: readonly string[];
  readonly failed: readonly string[];
  readonly readyCount: number;
  /** How many ready members have this image: the others (after a template change) are stale wherever they are in the order. */
  readonly readyWithImage: (image: string) => number;
  /** Ready members, oldest (longest ready) first: a fresh pass at each call. */
  readonly readyOldestFirst: () => Iterable<PoolMember>;
};

export type PoolPlanInput = {
  /** The pool with its overrides applied (size, image). */
  readonly pool: PoolConfig;
  readonly queues: PoolQueuesInput;
  /** Free devices the pool may take (hardware type and environment already matched), best first; read only as far as needed. */
  readonly candidates: Iterable<string>;
  /** A reset asked at this time re-images what was ready before it (0: none). */
  readonly resetAtMs: number;
  readonly nowMs: number;
};

const MINUTE_MS = 60_000;

/** Why a ready device must be imaged afresh, if it must. */
function staleness(member: PoolMember, input: PoolPlanInput): string | undefined {
  if (member.image !== input.pool.image) return `image ${member.image || 'none'} is not the pool's ${input.pool.image}`;
  if (member.sinceMs < input.resetAtMs) return 'the pool was reset';
  if (member.sinceMs + input.pool.readyTtlMin * MINUTE_MS <= input.nowMs) return `ready for ${input.pool.readyTtlMin} min`;
  return undefined;
}

/** The first `count` items of `items`. */
function take<T>(items: Iterable<T>, count: number): T[] {
  const taken: T[] = [];
  if (count <= 0) return taken;
  for (const item of items) {
    taken.push(item);
    if (taken.length >= count) break;
  }
  return taken;
}

/**
 * The pool's next steps (vmpooler's pool manager, for devices that are imaged instead of cloned):
 * 1. let failed devices go;
 * 2. keep `size` devices that are ready or on their way (waiting, imaging, completed): take free ones
 *    when short, release the surplus (waiting ones, then the oldest ready, then returned ones) when a
 *    returned device or a smaller size leaves one too many;
 * 3. image, at most `reimageConcurrency` at a time: fresh ones first, then returned ones, then ready
 *    ones that are stale (another image, a reset, or older than `readyTtlMin`), oldest first: the
 *    search stops at the first ready device that is fresh, unless some have another image.
 * Pure: the caller sends the actions and plans again after the events they cause.
 */
export function planPool(input: PoolPlanInput): PoolAction[] {
  const { pool, queues } = input;
  const actions: PoolAction[] = [];
  for (const device of queues.failed) actions.push({ type: 'release', device, why: 'its imaging failed' });

  let surplus = queues.waiting.length + queues.imaging + queues.readyCount + queues.completed.length - pool.size;
  const release = (device: string) => {
    actions.push({ type: 'release', device, why: `pool ${pool.name} keeps ${pool.size}` });
    surplus--;
  };
  // Devices being imaged finish first: releasing them mid-boot would only waste the boot. A returned
  // device stays to be imaged again (it comes back ready); a ready one goes instead, clean.
  const waitingReleased = take(queues.waiting, surplus);
  waitingReleased.forEach(release);
  const releasedReady = new Set(take(queues.readyOldestFirst(), surplus).map((member) => member.device));
  releasedReady.forEach(release);
  const completedReleased = take(queues.completed, surplus);
  completedReleased.forEach(release);
  const waiting = queues.waiting.slice(waitingReleased.length);
  const completed = queues.completed.slice(completedReleased.length);
  const taken = take(input.candidates, -surplus);
  for (const device of taken) actions.push({ type: 'take', device });

  let slots = pool.reimageConcurrency - queues.imaging;
  const image = (device: string, why: string) => {
    actions.push({ type: 'image', device, why });
    slots--;
  };
  for (const device of [...waiting, ...taken]) if (slots > 0) image(device, `joins pool ${pool.name}`);
  for (const device of completed) if (slots > 0) image(device, 'back from a vm');
  if (slots <= 0) return actions;
  // Age and resets make a prefix of the oldest-first order stale; another image can be anywhere, so
  // only then is the whole order read (once per template change, bounded by the free slots).
  const otherImages = queues.readyCount - queues.readyWithImage(pool.image) > 0;
  for (const member of queues.readyOldestFirst()) {
    if (slots <= 0) break;
    if (releasedReady.has(member.device)) continue;
    const why = staleness(member, input);
    if (why !== undefined) image(member.device, why);
    else if (!otherImages) break;
  }
  return actions;
}
