/** Events of a request stream (`request-<id>`): one MozPool lease, from opening to closing. */

export type ImagingResult = 'complete' | 'failed-bad-image' | 'failed-bad-device';

/** A state of the request machine; `closed` and the `failed_…` states are final. */
export type RequestStateName =
  'new' | 'finding_device' | 'contacting_lifeguard' | 'pending' | 'ready' | 'closed' | 'failed_device_not_found' | 'failed_device_busy' | 'failed_bad_image' | 'failed_bad_device';

export type RequestEvent =
  | {
      readonly type: 'RequestOpened';
      readonly data: {
        readonly id: number;
        /** A device name, or `any`. */
        readonly requestedDevice: string;
        readonly assignee: string;
        readonly image: string;
        /** JSON text: the image's boot_config_keys taken from the request body. */
        readonly bootConfig: string;
        readonly environment: string;
        /** The server that owns the request (its server id). */
        readonly imagingServer: string;
        readonly expiresAtMs: number;
        readonly atMs: number;
      };
    }
  | {
      readonly type: 'RequestStateEntered';
      readonly data: {
        readonly from: RequestStateName;
        readonly to: RequestStateName;
        readonly reason: string;
        readonly atMs: number;
        readonly timeoutAtMs: number | null;
        /** The retry counter of `to` after this entry. */
        readonly counter: number;
      };
    }
  | { readonly type: 'RequestDeviceAssigned'; readonly data: { readonly device: string; readonly atMs: number } }
  | { readonly type: 'RequestDeviceReleased'; readonly data: { readonly device: string; readonly reason: string; readonly atMs: number } }
  | { readonly type: 'RequestImagingResultReceived'; readonly data: { readonly device: string; readonly result: ImagingResult; readonly atMs: number } }
  | { readonly type: 'LeaseRenewed'; readonly data: { readonly expiresAtMs: number; readonly atMs: number } }
  | { readonly type: 'RequestClosed'; readonly data: { readonly reason: 'returned' | 'expired'; readonly atMs: number } }
  | { readonly type: 'RequestEventReported'; readonly data: { readonly event: string; readonly state: RequestStateName; readonly ignored: boolean; readonly atMs: number } }
  | { readonly type: 'RequestLogged'; readonly data: { readonly message: string; readonly atMs: number } }
  | { readonly type: 'RequestHandedOver'; readonly data: { readonly from: string; readonly to: string; readonly atMs: number } };

export type RequestEventType = RequestEvent['type'];
