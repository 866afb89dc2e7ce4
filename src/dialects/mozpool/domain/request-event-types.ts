import { eventTypes } from '../../../domain/to-domain-event.js';
import type { RequestEvent } from './request-events.js';

/** Every request event type: the compiler refuses this list until a new type is added to it. */
export const REQUEST_EVENT_TYPES = eventTypes<RequestEvent>({
  RequestOpened: true,
  RequestStateEntered: true,
  RequestDeviceAssigned: true,
  RequestDeviceReleased: true,
  RequestImagingResultReceived: true,
  LeaseRenewed: true,
  RequestClosed: true,
  RequestEventReported: true,
  RequestLogged: true,
  RequestHandedOver: true,
});
