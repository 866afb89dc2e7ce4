import type { RequestStateName } from './request-events.js';

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

/** How long a request waits in `state` before its timeout; null: no timeout (the lease may still expire). */
export function stateTimeoutMs(limits: RequestLimits, state: RequestStateName): number | null {
  switch (state) {
    case 'finding_device':
      return limits.findingTimeoutMs;
    case 'contacting_lifeguard':
      return limits.contactingTimeoutMs;
    case 'pending':
      return limits.pendingTimeoutMs;
    case 'new':
    case 'ready':
    case 'closed':
    case 'failed_device_not_found':
    case 'failed_device_busy':
    case 'failed_bad_image':
    case 'failed_bad_device':
      return null;
    default:
      return state satisfies never;
  }
}
