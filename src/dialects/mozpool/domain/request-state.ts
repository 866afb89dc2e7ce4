import type { RequestEvent, RequestStateName } from './request-events.js';

export type RequestState = {
  /** null until opened. */
  readonly id: number | null;
  readonly requestedDevice: string;
  readonly assignee: string;
  readonly image: string;
  readonly bootConfig: string;
  readonly environment: string;
  readonly imagingServer: string;
  readonly state: RequestStateName;
  readonly timeoutAtMs: number | null;
  /** Number of state entries so far: results of finding and contacting name the entry they answer. */
  readonly seq: number;
  readonly counters: Readonly<Record<string, number>>;
  readonly expiresAtMs: number;
  readonly assignedDevice: string | null;
  /** Imaging results `failed-bad-image` received so far. */
  readonly badImages: number;
};

export const initialRequestState: RequestState = {
  id: null,
  requestedDevice: '',
  assignee: '',
  image: '',
  bootConfig: '',
  environment: 'any',
  imagingServer: '',
  state: 'new',
  timeoutAtMs: null,
  seq: 0,
  counters: {},
  expiresAtMs: 0,
  assignedDevice: null,
  badImages: 0,
};

export const isClosedOrFailed = (state: RequestState): boolean => state.state === 'closed' || state.state.startsWith('failed_');

export function evolveRequest(state: RequestState, event: RequestEvent): RequestState {
  switch (event.type) {
    case 'RequestOpened': {
      const { id, requestedDevice, assignee, image, bootConfig, environment, imagingServer, expiresAtMs } = event.data;
      return { ...state, id, requestedDevice, assignee, image, bootConfig, environment, imagingServer, expiresAtMs };
    }
    case 'RequestStateEntered': {
      const { to, timeoutAtMs, counter } = event.data;
      return { ...state, state: to, timeoutAtMs, counters: { ...state.counters, [to]: counter }, seq: state.seq + 1 };
    }
    case 'RequestDeviceAssigned':
      return { ...state, assignedDevice: event.data.device };
    case 'RequestDeviceReleased':
      return { ...state, assignedDevice: null };
    case 'RequestImagingResultReceived':
      return event.data.result === 'failed-bad-image' ? { ...state, badImages: state.badImages + 1 } : state;
    case 'LeaseRenewed':
      return { ...state, expiresAtMs: event.data.expiresAtMs };
    case 'RequestClosed':
      return state;
    case 'RequestHandedOver':
      return { ...state, imagingServer: event.data.to };
    case 'RequestEventReported':
    case 'RequestLogged':
      return state;
    default:
      return event satisfies never;
  }
}
