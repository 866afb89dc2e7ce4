import type { RequestEvent } from '../../domain/request/request-events.js';
import type { RecordedEvent } from '../../store/port.js';
import { describeTransition } from './describe-transition.js';
import { ignoreUnknownEvent, isoUtc } from './event-time.js';
import type { LogLine } from './stream-logs.js';

const request = (message: string): LogLine => ({ source: 'request', message });

/** One human-readable line for each event of a request stream, with who said it. */
export function describeRequestEvent(recorded: RecordedEvent): LogLine | undefined {
  const event = { type: recorded.type, data: recorded.data } as RequestEvent;
  switch (event.type) {
    case 'RequestOpened': {
      const { assignee, requestedDevice, image, environment, expiresAtMs } = event.data;
      return request(`opened by ${assignee} for ${requestedDevice} with image ${image} in environment ${environment}, expires ${isoUtc(expiresAtMs)}`);
    }
    case 'RequestStateEntered':
      return { source: 'statemachine', message: describeTransition(event.data) };
    case 'RequestDeviceAssigned':
      return request(`assigned device ${event.data.device}`);
    case 'RequestDeviceReleased':
      return request(`released device ${event.data.device}${because(event.data.reason)}`);
    case 'RequestImagingResultReceived':
      return { source: 'lifeguard', message: `imaging result from ${event.data.device}: ${event.data.result}` };
    case 'LeaseRenewed':
      return request(`renewed until ${isoUtc(event.data.expiresAtMs)}`);
    case 'RequestClosed':
      return request(`closed: ${event.data.reason}`);
    case 'RequestEventReported':
      return request(`event ${event.data.event} in state ${event.data.state}${event.data.ignored ? ' (ignored)' : ''}`);
    case 'RequestLogged':
      return request(event.data.message);
    default:
      return ignoreUnknownEvent(event);
  }
}

function because(reason: string): string {
  return reason === '' ? '' : `: ${reason}`;
}
