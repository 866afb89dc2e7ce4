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

export type PoolPlanInput = {
  /** The pool with its overrides applied (size, image). */
  readonly pool: PoolConfig;
  readonly members: readonly PoolMember[];
  /** Free devices the pool may take (hardware type and environment already matched), best first. */
  readonly candidates: readonly string[];
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

/**
 * The pool's next steps (vmpooler's pool manager, for devices that are imaged instead of cloned):
 * 1. let failed devices go;
 * 2. keep `size` devices that are ready or on their way (waiting, imaging, completed): take free ones
 *    when short, release the surplus (waiting ones, then the oldest ready, then returned ones) when a
 *    returned device or a smaller size leaves one too many;
 * 3. image, at most `reimageConcurrency` at a time: fresh ones first, then returned ones, then ready
 *    ones that are stale (another image, a reset, or older than `readyTtlMin`).
 * Pure: the caller sends the actions and plans again after the events they cause.
 */
export function planPool(input: PoolPlanInput): PoolAction[] {
  const { pool } = input;
  const actions: PoolAction[] = [];
  const byPhase = (phase: MemberPhase) => input.members.filter((member) => member.phase === phase);
  for (const member of byPhase('failed')) actions.push({ type: 'release', device: member.device, why: 'its imaging failed' });

  const imaging = byPhase('imaging');
  let waiting = byPhase('waiting').map((member) => member.device);
  let completed = byPhase('completed').map((member) => member.device);
  // Oldest ready first: those are the first to go stale and the first released.
  let ready = [...byPhase('ready')].sort((a, b) => a.sinceMs - b.sinceMs);

  let surplus = waiting.length + imaging.length + ready.length + completed.length - pool.size;
  /** Releases up to the surplus from the front of `members`; returns those kept. */
  const releaseFrom = <Member>(members: readonly Member[], deviceOf: (member: Member) => string): Member[] => {
    const released = members.slice(0, Math.max(0, surplus));
    surplus -= released.length;
    for (const member of released) actions.push({ type: 'release', device: deviceOf(member), why: `pool ${pool.name} keeps ${pool.size}` });
    return members.slice(released.length);
  };
  // Devices being imaged finish first: releasing them mid-boot would only waste the boot. A returned
  // device stays to be imaged again (it comes back ready); a ready one goes instead, clean.
  waiting = releaseFrom(waiting, (device) => device);
  ready = releaseFrom(ready, (member) => member.device);
  completed = releaseFrom(completed, (device) => device);
  const taken = surplus < 0 ? input.candidates.slice(0, -surplus) : [];
  for (const device of taken) actions.push({ type: 'take', device });

  let slots = pool.reimageConcurrency - imaging.length;
  const image = (device: string, why: string) => {
    if (slots <= 0) return;
    actions.push({ type: 'image', device, why });
    slots--;
  };
  for (const device of [...waiting, ...taken]) image(device, `joins pool ${pool.name}`);
  for (const device of completed) image(device, 'back from a vm');
  for (const member of ready) {
    const why = staleness(member, input);
    if (why !== undefined) image(member.device, why);
  }
  return actions;
}
