import type { Deadline } from '../../../domain/decider.js';
import type { ImagingResult } from './request-events.js';

/** What one try at finding a device came to. */
export type FindOutcome =
  | { readonly kind: 'attached'; readonly device: string }
  | { readonly kind: 'none_free' }
  /** The named device exists but is not free, or cannot be had now: `silentServer`, its server, did not answer. */
  | { readonly kind: 'busy'; readonly silentServer?: string }
  /** The named device is in a failed state. */
  | { readonly kind: 'bad_device' };

/** Why a named device of another server cannot be had: that server did not answer. */
export const unansweredBy = (server: string): string => `its server ${server} did not answer`;

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
