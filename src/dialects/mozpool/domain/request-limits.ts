/** Limits of the MozPool request machine (NOTES.md defaults). */
export type RequestLimits = {
  /** One try at finding a device. */
  readonly findingTimeoutMs: number;
  /** Tries before an `any` request gives up with `failed_device_not_found`. */
  readonly findingMaxTries: number;
  /** Times a named device may be found busy before `failed_device_busy`. */
  readonly namedBusyMax: number;
  readonly contactingTimeoutMs: number;
  readonly contactingMaxTries: number;
  readonly pendingTimeoutMs: number;
  /** Pending timeouts before an `any` request moves to another device. */
  readonly pendingMaxTimeouts: number;
  /** `failed-bad-image` results before `failed_bad_image`. */
  readonly badImageMax: number;
};

export const DEFAULT_REQUEST_LIMITS: RequestLimits = {
  findingTimeoutMs: 10_000,
  findingMaxTries: 60,
  namedBusyMax: 2,
  contactingTimeoutMs: 30_000,
  contactingMaxTries: 5,
  pendingTimeoutMs: 60_000,
  pendingMaxTimeouts: 20,
  badImageMax: 2,
};
