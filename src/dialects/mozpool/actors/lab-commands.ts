import type { EventMetadata } from '../../../store/port.js';

/**
 * The write side of the MozPool API: what HTTP routes ask of the lab. Every call returns once the
 * events it caused are visible in the read models (read-your-writes). Refusals are values that carry
 * the MozPool status code; a thrown error is a server fault (500).
 */
export type LabResult<Value> = { readonly ok: true; readonly value: Value } | { readonly ok: false; readonly status: 400 | 404 | 409; readonly message: string };

export interface RequestDeviceInput {
  /** A device name, or `any`. */
  readonly device: string;
  readonly assignee: string;
  readonly durationS: number;
  readonly image: string;
  /** 'any' when the body had none. */
  readonly environment: string;
  /** The image's boot_config_keys taken from the body. */
  readonly bootConfig: Readonly<Record<string, unknown>>;
}

export interface LabCommands {
  requestDevice(input: RequestDeviceInput, metadata: EventMetadata): Promise<LabResult<{ readonly requestId: number }>>;
  renewRequest(id: number, durationS: number, metadata: EventMetadata): Promise<LabResult<null>>;
  returnRequest(id: number, metadata: EventMetadata): Promise<LabResult<null>>;
  requestEvent(id: number, event: string, metadata: EventMetadata): Promise<LabResult<null>>;

  /**
   * A LifeGuard event: a second-stage report (`mobile_init_started`…) or an operator's please
   * (`please_image` with `{image, boot_config}` in `args`, `please_power_cycle`, `please_self_test`,
   * `please_start_maintenance`). `args` is the POST body, `{}` for a GET.
   */
  deviceEvent(device: string, event: string, args: Readonly<Record<string, unknown>>, metadata: EventMetadata): Promise<LabResult<null>>;
  /** Sets `to` only if the state is `from` now; 409 otherwise. */
  forceState(device: string, from: string, to: string, metadata: EventMetadata): Promise<LabResult<null>>;
  /** BMM power cycle: with a PXE config, write it and store `bootConfig`; without, clear PXE. Runs asynchronously. */
  powerCycle(device: string, options: { readonly pxeConfig?: string; readonly bootConfig?: string }, metadata: EventMetadata): Promise<LabResult<null>>;
  powerOff(device: string, metadata: EventMetadata): Promise<LabResult<null>>;
  ping(device: string, metadata: EventMetadata): Promise<LabResult<{ readonly success: boolean }>>;
  clearPxe(device: string, metadata: EventMetadata): Promise<LabResult<null>>;
  setComments(device: string, comments: string, metadata: EventMetadata): Promise<LabResult<null>>;
  setEnvironment(device: string, environment: string, metadata: EventMetadata): Promise<LabResult<null>>;
  /** LifeGuard's imaging entry (`please_image`). */
  bootImage(device: string, image: string, bootConfig: string, metadata: EventMetadata): Promise<LabResult<null>>;
  /** The device says its PXE file is no longer needed. */
  bootComplete(device: string, metadata: EventMetadata): Promise<LabResult<null>>;
}
