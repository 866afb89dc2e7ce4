import type { Deadline } from '../decider.js';
import type { Holder } from '../holders/holder.js';
import type { DeviceInventory, JsonObject } from './device-events.js';

/** Why a power cycle failed: retry it, or give up at once because it can never work. */
export type PowerFailure = 'retry' | 'no_power_info' | 'no_pxe_config';

/**
 * Commands of a device actor. `nowMs` is the time of the command; `seq` names the state entry a
 * hardware result belongs to, so late results of an earlier attempt are ignored.
 */
export type DeviceCommand =
  | {
      readonly type: 'Register';
      readonly name: string;
      readonly inventory: DeviceInventory;
      readonly nowMs: number;
      /** Already deployed and up (LBaaS's create): it enters `ready` at once instead of self-testing from `new`. */
      readonly deployed?: boolean;
      /** Refused (`already_registered`) when the name is registered and not retired: a create, not an upsert. */
      readonly onlyNew?: boolean;
    }
  | { readonly type: 'Retire'; readonly nowMs: number }
  | {
      readonly type: 'PleaseImage';
      readonly image: string;
      readonly bootConfig: string;
      /** The PXE config for (image, hardware type), resolved by the caller; null when there is none. */
      readonly pxeConfig: string | null;
      readonly nowMs: number;
    }
  | { readonly type: 'PleasePowerCycle'; readonly nowMs: number }
  | { readonly type: 'PleaseSelfTest'; readonly nowMs: number }
  | { readonly type: 'PleaseStartMaintenance'; readonly nowMs: number }
  /** The PXE config of the hidden self-test or maintenance image, looked up on entering `start_*`. */
  | { readonly type: 'Continue'; readonly seq: number; readonly pxeConfig: string | null; readonly nowMs: number }
  | { readonly type: 'PowerCycleResult'; readonly seq: number; readonly ok: boolean; readonly error: string | null; readonly failure: PowerFailure; readonly nowMs: number }
  /** Result of verifying (or pinging) the device. */
  | { readonly type: 'VerifyResult'; readonly seq: number; readonly ok: boolean; readonly error: string | null; readonly nowMs: number }
  | { readonly type: 'ReportEvent'; readonly event: string; readonly nowMs: number }
  | { readonly type: 'ForceState'; readonly from: string; readonly to: string; readonly nowMs: number }
  /**
   * Only a free device is attached; attaching its own holder again is a no-op. `anyState`: a device
   * nobody holds is attached whatever its state (a Commissaire host registers a failed device, whose
   * investigation then finds it failed).
   */
  | { readonly type: 'AttachHolder'; readonly holder: Holder; readonly nowMs: number; readonly anyState?: boolean }
  /** A no-op unless `holder` holds the device: a release may be sent again (after a crash, by the recovery at start). */
  | { readonly type: 'DetachHolder'; readonly holder: Holder; readonly reason: string; readonly nowMs: number }
  /** From `from` to `to` in one step; a no-op when `to` holds it already. */
  | { readonly type: 'TransferHolder'; readonly from: Holder; readonly to: Holder; readonly reason: string; readonly nowMs: number }
  | { readonly type: 'SetComments'; readonly comments: string; readonly nowMs: number }
  | { readonly type: 'SetEnvironment'; readonly environment: string; readonly nowMs: number }
  | { readonly type: 'BmmPowerCycle'; readonly pxeConfig: string | null; readonly bootConfig: string | null; readonly nowMs: number }
  /** How a power cycle asked for outside the state machine (BMM, verifying's every Nth timeout) went. */
  | { readonly type: 'RecordPowerCycle'; readonly ok: boolean; readonly error: string | null; readonly nowMs: number }
  | { readonly type: 'PowerOff'; readonly nowMs: number }
  | { readonly type: 'ClearPxe'; readonly reason: string; readonly nowMs: number }
  | { readonly type: 'Log'; readonly source: string; readonly message: string; readonly nowMs: number }
  /** Hardware facts the device reported about itself; taken in any state of a registered, not retired device. */
  | { readonly type: 'ReportFacts'; readonly generator: string; readonly format: string; readonly facts: JsonObject; readonly nowMs: number }
  | { readonly type: 'Timeout'; readonly deadline: Deadline; readonly nowMs: number }
  /**
   * Moves the device from server `from` (presumed dead) to server `to`, which runs its actor from
   * then on. Refused unless `from` owns it; a no-op when `to` does already (a handover sent again).
   */
  | { readonly type: 'HandOver'; readonly from: string; readonly to: string; readonly nowMs: number };

export type DeviceCommandType = DeviceCommand['type'];
