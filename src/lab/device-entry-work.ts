import { isFixedState, type FixedState, type LifeGuardState } from '../domain/device/lifeguard-states.js';

/** The hardware work entering a state asks for; the image chain's states ask for none. */
export type EntryWork = 'none' | 'pxe_power_cycle' | 'power_cycle' | 'continue' | 'clear_pxe' | 'verify_if_free' | 'verify_until_up';

/** Every fixed state's entry work: a state added without deciding it does not compile. */
const ENTRY_WORK: Readonly<Record<FixedState, EntryWork>> = {
  new: 'none',
  ready: 'verify_if_free',
  start_self_test: 'continue',
  start_maintenance: 'continue',
  start_pxe_boot: 'none',
  pc_power_cycling: 'power_cycle',
  pc_rebooting: 'none',
  pc_pinging: 'verify_until_up',
  pxe_power_cycling: 'pxe_power_cycle',
  pxe_booting: 'none',
  mobile_init_started: 'clear_pxe',
  verifying: 'verify_until_up',
  operation_complete: 'none',
  maintenance_mode: 'none',
  self_test_running: 'none',
  locked_out: 'none',
  troubleshooting: 'none',
  failed_start_self_test: 'none',
  failed_start_maintenance: 'none',
  failed_pc_power_cycling: 'none',
  failed_pxe_power_cycling: 'none',
  failed_pxe_booting: 'none',
  failed_mobile_init_started: 'none',
  failed_verifying: 'none',
  failed_power_cycling: 'none',
  failed_self_test: 'none',
  failed_self_test_verify: 'none',
};

/** Work run again at start when a crash may have cut it short; `ready` verifies again at its own timeout. */
const RESUMED_WORK: Readonly<Record<EntryWork, boolean>> = {
  none: false,
  pxe_power_cycle: true,
  power_cycle: true,
  continue: true,
  clear_pxe: false,
  verify_if_free: false,
  verify_until_up: true,
};

export function entryWorkOf(state: LifeGuardState): EntryWork {
  return isFixedState(state) ? ENTRY_WORK[state] : 'none';
}

export function isResumedWork(work: EntryWork): boolean {
  return RESUMED_WORK[work];
}
