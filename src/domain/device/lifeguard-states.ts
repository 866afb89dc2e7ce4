import { isValidName } from '../inventory/inventory-names.js';

/**
 * Every state of the LifeGuard machine (device-decider, device-progress, device-transitions) whose
 * name does not depend on an image. A forced state outside the machine would strand the device: no
 * timeout, no please accepted, never free.
 */
export const LIFEGUARD_FIXED_STATES = [
  'new',
  'ready',
  'start_self_test',
  'start_maintenance',
  'start_pxe_boot',
  'pc_power_cycling',
  'pc_rebooting',
  'pc_pinging',
  'pxe_power_cycling',
  'pxe_booting',
  'mobile_init_started',
  'verifying',
  'operation_complete',
  'maintenance_mode',
  'self_test_running',
  // Entered only by an operator's forced change.
  'locked_out',
  'troubleshooting',
  // A state with a retry limit fails into `failed_<state>`; `pc_pinging` falls back to
  // `pc_power_cycling` instead, and `ready`, `new`, `pc_rebooting` have no limit.
  'failed_start_self_test',
  'failed_start_maintenance',
  'failed_pc_power_cycling',
  'failed_pxe_power_cycling',
  'failed_pxe_booting',
  'failed_mobile_init_started',
  'failed_verifying',
  // Failures that are not a retry limit: no power info, a self-test that fails or times out, a device
  // that passes its self-test but keeps failing verify.
  'failed_power_cycling',
  'failed_self_test',
  'failed_self_test_verify',
] as const;

/** A state whose name does not depend on an image. */
export type FixedState = (typeof LIFEGUARD_FIXED_STATES)[number];

/** The image chain: `<image>_downloading`, `<image>_extracting`, `<image>_rebooting`. */
const IMAGE_STAGES = ['downloading', 'extracting', 'rebooting'] as const;

export type ImageChainState = `${string}_${(typeof IMAGE_STAGES)[number]}`;

/**
 * Where a state goes past its retry limit. MozPool's limits give one to the states listed above with
 * a `failed_…` and to `<image>_downloading`/`_extracting`; a configured limit may give one to any state.
 */
export type FailedState = `failed_${string}`;

/** A state of the LifeGuard machine: the name stored in `DeviceStateEntered` and shown by the API. */
export type LifeGuardState = FixedState | ImageChainState | FailedState;

/** Image stages with a retry limit; `<image>_rebooting` moves on to `verifying` at once and never fails. */
const FAILING_IMAGE_STAGES: ReadonlySet<string> = new Set(['downloading', 'extracting']);

const FIXED_STATES: ReadonlySet<string> = new Set(LIFEGUARD_FIXED_STATES);
const IMAGE_STATE = /^(.+)_(downloading|extracting|rebooting)$/;

export function isFixedState(state: string): state is FixedState {
  return FIXED_STATES.has(state);
}

/** Whether `image` could name an image at all, for callers that do not hold the catalogue. */
export const isImageName: (image: string) => boolean = isValidName;

/**
 * Whether `state` is a state of the LifeGuard machine: a fixed state, or an image-chain state
 * (`<image>_downloading`…, `failed_<image>_downloading`/`_extracting`) of an image `isKnownImage` accepts.
 */
export function isLifeGuardState(state: string, isKnownImage: (image: string) => boolean): state is LifeGuardState {
  if (isFixedState(state)) return true;
  const match = IMAGE_STATE.exec(state);
  if (match === null) return false;
  const [, prefix = '', stage = ''] = match;
  if (isKnownImage(prefix)) return true;
  // An image may itself be called `failed_…`, so the plain reading above comes first.
  return prefix.startsWith('failed_') && FAILING_IMAGE_STAGES.has(stage) && isKnownImage(prefix.slice('failed_'.length));
}

/** Every state of the machine for these images: the fixed states, then each image's chain in order. */
export function lifeGuardStates(images: readonly string[]): LifeGuardState[] {
  const chains = images.flatMap((image): LifeGuardState[] => [
    ...IMAGE_STAGES.map((stage): ImageChainState => `${image}_${stage}`),
    ...IMAGE_STAGES.filter((stage) => FAILING_IMAGE_STAGES.has(stage)).map((stage): FailedState => `failed_${image}_${stage}`),
  ]);
  return [...LIFEGUARD_FIXED_STATES, ...chains];
}
