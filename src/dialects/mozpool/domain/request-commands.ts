import type { Deadline } from '../../../domain/decider.js';
import type { ImagingResult } from './request-events.js';

/** What one try at finding a device came to. */
export type FindOutcome =
  | { readonly kind: 'attached'; readonly device: string }
  | { readonly kind: 'none_free' }
  /** The named device exists but is not free. */
  | { readonly kind: 'busy' }
  /** The named device is in a failed state. */
  | { readonly kind: 'bad_device' };

/** What asking LifeGuard to image (or power-cycle) the device came to. */
export type LifeguardOutcome = 'accepted' | 'not_ready' | 'unreachable' | 'bad_image';

export type RequestCommand =
  | {
      readonly type: 'Open';
      readonly id: number;
      readonly requestedDevice: string;
      readonly assignee: string;
      readonly image: string;
      readonly bootConfig: string;
      readonly environment: string;
      readonly imagingServer: string;
      readonly durationS: number;
      /** Found and attached before opening (MozPool answers 409 at once when none is free). */
      readonly assignedDevice: string;
      readonly nowMs: number;
    }
  | { readonly type: 'FindResult'; readonly seq: number; readonly outcome: FindOutcome; readonly nowMs: number }
  | { readonly type: 'LifeguardResult'; readonly seq: number; readonly outcome: LifeguardOutcome; readonly detail: string; readonly nowMs: number }
  | { readonly type: 'ImagingResult'; readonly device: string; readonly result: ImagingResult; readonly nowMs: number }
  | { readonly type: 'Renew'; readonly durationS: number; readonly nowMs: number }
  | { readonly type: 'Return'; readonly nowMs: number }
  | { readonly type: 'ReportEvent'; readonly event: string; readonly nowMs: number }
  | { readonly type: 'Timeout'; readonly deadline: Deadline; readonly nowMs: number }
  /** `from`, the server that took the request, is gone: `to` runs it from now on. */
  | { readonly type: 'HandOver'; readonly from: string; readonly to: string; readonly nowMs: number };
