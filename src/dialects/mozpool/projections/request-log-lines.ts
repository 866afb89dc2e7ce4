import { REQUEST_EVENT_TYPES } from '../domain/request-event-types.js';
import { toDomainEvent } from '../../../domain/to-domain-event.js';
import type { RecordedEvent } from '../../../store/port.js';
import { lineFrom, type LogLine } from '../../../projections/logs/bounded-log.js';
import { describeTransition } from '../../../projections/lab/describe-transition.js';
import { ignoreUnknownEvent, isoUtc } from '../../../projections/lab/event-time.js';

// Lines are tagged templates: a line keeps the template and its values, and is formatted when read.
const request = lineFrom('request');
const lifeguard = lineFrom('lifeguard');

/** One human-readable line for each event of a request stream, with who said it. */
export function describeRequestEvent(recorded: RecordedEvent): LogLine | undefined {
  const event = toDomainEvent(recorded, REQUEST_EVENT_TYPES);
  if (event === undefined) return undefined;
  switch (event.type) {
    case 'RequestOpened': {
      const { assignee, requestedDevice, image, environment, expiresAtMs } = event.data;
      return request`opened by ${assignee} for ${requestedDevice} with image ${image} in environment ${environment}, expires ${isoUtc(expiresAtMs)}`;
    }
    case 'RequestStateEntered':
      return describeTransition(event.data);
    case 'RequestDeviceAssigned':
      return request`assigned device ${event.data.device}`;
    case 'RequestDeviceReleased': {
      const { device, reason } = event.data;
      return reason === '' ? request`released device ${device}` : request`released device ${device}: ${reason}`;
    }
    case 'RequestImagingResultReceived':
      return lifeguard`imaging result from ${event.data.device}: ${event.data.result}`;
    case 'LeaseRenewed':
      return request`renewed until ${isoUtc(event.data.expiresAtMs)}`;
    case 'RequestClosed':
      return request`closed: ${event.data.reason}`;
    case 'RequestEventReported': {
      const { event: name, state, ignored } = event.data;
      return request`event ${name} in state ${state}${ignored ? ' (ignored)' : ''}`;
    }
    case 'RequestLogged':
      return request`${event.data.message}`;
    case 'RequestHandedOver':
      return request`handed over from server ${event.data.from} to server ${event.data.to}`;
    default:
      return ignoreUnknownEvent(event);
  }
}
