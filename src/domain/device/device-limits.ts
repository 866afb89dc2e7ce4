/** Timeout and retry limit of one LifeGuard state. */
export type StateLimit = {
  /** null: the state never times out. */
  readonly timeoutMs: number | null;
  /** The state fails (or falls back) when its counter passes this; null: no limit. */
  readonly maxCount: number | null;
};

/**
 * LifeGuard's per-state limits. The image chain states are keyed generically (`image_downloading`…)
 * because the image name is part of the state name (`android_downloading`).
 */
export type DeviceLimits = Readonly<Record<string, StateLimit>>;

const seconds = (s: number) => s * 1000;

/** MozPool's original values (NOTES.md). */
export const DEFAULT_DEVICE_LIMITS: DeviceLimits = {
  new: { timeoutMs: 0, maxCount: null },
  ready: { timeoutMs: seconds(600), maxCount: null },
  start_self_test: { timeoutMs: seconds(30), maxCount: 5 },
  start_maintenance: { timeoutMs: seconds(30), maxCount: 5 },
  pc_power_cycling: { timeoutMs: seconds(60), maxCount: 200 },
  pc_rebooting: { timeoutMs: seconds(120), maxCount: null },
  pc_pinging: { timeoutMs: seconds(10), maxCount: 12 },
  pxe_power_cycling: { timeoutMs: seconds(60), maxCount: 200 },
  pxe_booting: { timeoutMs: seconds(180), maxCount: 30 },
  mobile_init_started: { timeoutMs: seconds(10), maxCount: 10 },
  image_downloading: { timeoutMs: seconds(180), maxCount: 3 },
  image_extracting: { timeoutMs: seconds(600), maxCount: 10 },
  verifying: { timeoutMs: seconds(45), maxCount: 30 },
  self_test_running: { timeoutMs: seconds(3600), maxCount: null },
  // Verify and download failures start a self-test by themselves, at once.
  failed_verifying: { timeoutMs: 0, maxCount: null },
  failed_image_downloading: { timeoutMs: 0, maxCount: null },
  // Not a state: how many self-tests in a row may pass while verify in `ready` keeps failing, before
  // the device enters `failed_self_test_verify` and waits for a human.
  self_test_verify: { timeoutMs: null, maxCount: 3 },
};

/** Verifying power-cycles the device (without PXE) on every Nth timeout. */
export const VERIFY_POWER_CYCLE_EVERY = 10;

const NO_LIMIT: StateLimit = { timeoutMs: null, maxCount: null };

/** The limit of `state`, looking the image chain up by its generic key. */
export function limitOf(limits: DeviceLimits, state: string): StateLimit {
  return limits[state] ?? limits[genericStateKey(state)] ?? NO_LIMIT;
}

/** `android_downloading` → `image_downloading`; other states unchanged. */
export function genericStateKey(state: string): string {
  const failed = state.startsWith('failed_');
  const bare = failed ? state.slice('failed_'.length) : state;
  const match = /_(downloading|extracting|rebooting)$/.exec(bare);
  if (!match || bare === 'mobile_init_started') return state;
  return `${failed ? 'failed_' : ''}image_${match[1]}`;
}
