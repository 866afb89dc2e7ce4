import { isFixedState, type FixedState, type LifeGuardState } from './lifeguard-states.js';

/** Timeout and retry limit of one LifeGuard state. */
export type StateLimit = {
  /** null: the state never times out. */
  readonly timeoutMs: number | null;
  /** The state fails (or falls back) when its counter passes this; null: no limit. */
  readonly maxCount: number | null;
};

/** The image chain, keyed for any image: its state names hold the image's (`android_downloading`). */
type ImageChainKey = 'image_downloading' | 'image_extracting' | 'image_rebooting' | 'failed_image_downloading' | 'failed_image_extracting';

/** What a limit is decided for: every fixed state, the image chain, and `self_test_verify` (a counter, not a state). */
export type LimitKey = FixedState | ImageChainKey | 'self_test_verify';

/**
 * LifeGuard's per-state limits. A configured limit may also name one image's stage
 * (`android_downloading`) or a `failed_…` state of its own; a state without one has no limit.
 */
export type DeviceLimits = Readonly<Partial<Record<LimitKey | LifeGuardState, StateLimit>>>;

const seconds = (s: number) => s * 1000;

const NO_LIMIT: StateLimit = { timeoutMs: null, maxCount: null };

/** MozPool's original values (NOTES.md); a state added without deciding its limit does not compile. */
export const DEFAULT_DEVICE_LIMITS: Readonly<Record<LimitKey, StateLimit>> = {
  new: { timeoutMs: 0, maxCount: null },
  ready: { timeoutMs: seconds(600), maxCount: null },
  start_self_test: { timeoutMs: seconds(30), maxCount: 5 },
  start_maintenance: { timeoutMs: seconds(30), maxCount: 5 },
  start_pxe_boot: NO_LIMIT,
  pc_power_cycling: { timeoutMs: seconds(60), maxCount: 200 },
  pc_rebooting: { timeoutMs: seconds(120), maxCount: null },
  pc_pinging: { timeoutMs: seconds(10), maxCount: 12 },
  pxe_power_cycling: { timeoutMs: seconds(60), maxCount: 200 },
  pxe_booting: { timeoutMs: seconds(180), maxCount: 30 },
  mobile_init_started: { timeoutMs: seconds(10), maxCount: 10 },
  image_downloading: { timeoutMs: seconds(180), maxCount: 3 },
  image_extracting: { timeoutMs: seconds(600), maxCount: 10 },
  image_rebooting: NO_LIMIT,
  verifying: { timeoutMs: seconds(45), maxCount: 30 },
  operation_complete: NO_LIMIT,
  maintenance_mode: NO_LIMIT,
  self_test_running: { timeoutMs: seconds(3600), maxCount: null },
  locked_out: NO_LIMIT,
  troubleshooting: NO_LIMIT,
  // Verify and download failures start a self-test by themselves, at once; other failures wait for a human.
  failed_verifying: { timeoutMs: 0, maxCount: null },
  failed_image_downloading: { timeoutMs: 0, maxCount: null },
  failed_image_extracting: NO_LIMIT,
  failed_start_self_test: NO_LIMIT,
  failed_start_maintenance: NO_LIMIT,
  failed_pc_power_cycling: NO_LIMIT,
  failed_pxe_power_cycling: NO_LIMIT,
  failed_pxe_booting: NO_LIMIT,
  failed_mobile_init_started: NO_LIMIT,
  failed_power_cycling: NO_LIMIT,
  failed_self_test: NO_LIMIT,
  failed_self_test_verify: NO_LIMIT,
  // Not a state: how many self-tests in a row may pass while verify in `ready` keeps failing, before
  // the device enters `failed_self_test_verify` and waits for a human.
  self_test_verify: { timeoutMs: null, maxCount: 3 },
};

/** Verifying power-cycles the device (without PXE) on every Nth timeout. */
export const VERIFY_POWER_CYCLE_EVERY = 10;

/** The limit of `state`, looking the image chain up by its generic key. */
export function limitOf(limits: DeviceLimits, state: LimitKey | LifeGuardState): StateLimit {
  return limits[state] ?? limits[genericStateKey(state)] ?? NO_LIMIT;
}

/** MozPool's limit for a name in the configuration (`lifeguardLimits`); a name that is no state or key has none. */
export function defaultLimitOf(name: string): StateLimit {
  return isLimitName(name) ? limitOf(DEFAULT_DEVICE_LIMITS, name) : NO_LIMIT;
}

function isLimitName(name: string): name is LimitKey | LifeGuardState {
  return Object.hasOwn(DEFAULT_DEVICE_LIMITS, name) || name.startsWith('failed_') || /_(downloading|extracting|rebooting)$/.test(name);
}

const IMAGE_CHAIN_KEYS: Readonly<Record<string, ImageChainKey>> = {
  downloading: 'image_downloading',
  extracting: 'image_extracting',
  rebooting: 'image_rebooting',
  failed_downloading: 'failed_image_downloading',
  failed_extracting: 'failed_image_extracting',
};

/** `android_downloading` → `image_downloading`; other states unchanged. */
export function genericStateKey(state: LimitKey | LifeGuardState): LimitKey | LifeGuardState {
  if (isFixedState(state)) return state;
  const match = /^(failed_)?.+_(downloading|extracting|rebooting)$/.exec(state);
  if (match === null) return state;
  return IMAGE_CHAIN_KEYS[`${match[1] ?? ''}${match[2]}`] ?? state;
}
