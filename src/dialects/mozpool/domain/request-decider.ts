import { DecisionBuilder } from '../../../domain/decision-builder.js';
import { accept, reject, type Deadline, type Decider, type Decision } from '../../../domain/decider.js';
import { unansweredBy, type RequestCommand } from './request-commands.js';
import { REQUEST_EVENT_TYPES } from './request-event-types.js';
import type { RequestEvent, RequestStateName } from './request-events.js';
import { DEFAULT_REQUEST_LIMITS, stateTimeoutMs, type RequestLimits } from './request-limits.js';
import { evolveRequest, initialRequestState, isClosedOrFailed, type RequestState } from './request-state.js';

type Command<Type extends RequestCommand['type']> = Extract<RequestCommand, { type: Type }>;

/** Builds one request decision. */
class RequestEmitter extends DecisionBuilder<RequestEvent, RequestState> {
  constructor(
    state: RequestState,
    readonly limits: RequestLimits,
    readonly nowMs: number,
  ) {
    super(state, evolveRequest);
  }

  enter(to: RequestStateName, reason: string): this {
    const counter = (this.state.counters[to] ?? 0) + 1;
    const timeoutMs = stateTimeoutMs(this.limits, to);
    const timeoutAtMs = timeoutMs === null ? null : this.nowMs + timeoutMs;
    return this.emit({ type: 'RequestStateEntered', data: { from: this.state.state, to, reason, atMs: this.nowMs, timeoutAtMs, counter } });
  }

  /** Gives the device back (the reaction detaches it from the device actor). */
  release(reason: string): this {
    const device = this.state.assignedDevice;
    return device === null ? this : this.emit({ type: 'RequestDeviceReleased', data: { device, reason, atMs: this.nowMs } });
  }

  fail(to: Extract<RequestStateName, `failed_${string}`>, reason: string): this {
    return this.release(reason).enter(to, reason);
  }

  done(): Decision<RequestEvent> {
    return { ok: true, events: this.events };
  }
}

/** The nearer of the state's timeout and the lease's expiry. Closed and failed requests wait for nothing. */
function requestDeadline(state: RequestState): Deadline | undefined {
  if (state.id === null || isClosedOrFailed(state)) return undefined;
  if (state.timeoutAtMs !== null && state.timeoutAtMs < state.expiresAtMs) return { name: `${state.state}#${state.seq}`, atMs: state.timeoutAtMs };
  return { name: 'expiry', atMs: state.expiresAtMs };
}

/** The MozPool request machine. */
export function createRequestDecider(limits: RequestLimits = DEFAULT_REQUEST_LIMITS): Decider<RequestCommand, RequestEvent, RequestState> {
  return {
    initialState: initialRequestState,
    knownEventTypes: REQUEST_EVENT_TYPES,
    decide: (command, state) => decideRequest(command, state, limits),
    evolve: evolveRequest,
    nextDeadline: requestDeadline,
    timeoutCommand: (deadline, nowMs) => ({ type: 'Timeout', deadline, nowMs }),
    deadlineFields: ['id', 'state', 'seq', 'timeoutAtMs', 'expiresAtMs'],
    isFinal: (state) => state.id !== null && isClosedOrFailed(state),
  };
}

function decideRequest(command: RequestCommand, state: RequestState, limits: RequestLimits): Decision<RequestEvent> {
  if (command.type === 'Open') return decideOpen(new RequestEmitter(state, limits, command.nowMs), command);
  if (state.id === null) return reject('unknown_request', 'no such request');
  const em = new RequestEmitter(state, limits, command.nowMs);
  switch (command.type) {
    case 'FindResult':
      return decideFindResult(em, command);
    case 'LifeguardResult':
      return decideLifeguardResult(em, command);
    case 'ImagingResult':
      return decideImagingResult(em, command);
    case 'Renew':
      if (isClosedOrFailed(state)) return reject('closed', `request ${state.id} is ${state.state}`);
      return accept({ type: 'LeaseRenewed', data: { expiresAtMs: command.nowMs + command.durationS * 1000, atMs: command.nowMs } });
    case 'Return':
      return isClosedOrFailed(state) ? accept() : closeRequest(em, 'returned');
    case 'ReportEvent':
      return decideReportedEvent(em, command);
    case 'Timeout':
      return decideTimeout(em, command);
    case 'HandOver':
      return decideHandOver(state, command);
    default:
      return command satisfies never;
  }
}

/** Like a device's handover: sent again (after a crash, by a second operator), it is already done. */
function decideHandOver(state: RequestState, { from, to, nowMs }: Command<'HandOver'>): Decision<RequestEvent> {
  if (from === to) return reject('same_server', `request ${state.id} cannot be handed over from ${from} to itself`);
  if (state.imagingServer === to) return accept();
  if (state.imagingServer !== from) return reject('not_owner', `request ${state.id} belongs to ${state.imagingServer}, not ${from}`);
  if (isClosedOrFailed(state)) return reject('closed', `request ${state.id} is ${state.state}`);
  return accept({ type: 'RequestHandedOver', data: { from, to, atMs: nowMs } });
}

function decideOpen(em: RequestEmitter, command: Command<'Open'>): Decision<RequestEvent> {
  if (em.state.id !== null) return reject('exists', `request ${em.state.id} exists already`);
  if (!Number.isInteger(command.durationS) || command.durationS <= 0) return reject('bad_duration', 'duration must be a positive integer');
  const { id, requestedDevice, assignee, image, bootConfig, environment, imagingServer, nowMs } = command;
  const expiresAtMs = nowMs + command.durationS * 1000;
  em.emit({ type: 'RequestOpened', data: { id, requestedDevice, assignee, image, bootConfig, environment, imagingServer, expiresAtMs, atMs: nowMs } });
  em.enter('finding_device', 'opened');
  em.emit({ type: 'RequestDeviceAssigned', data: { device: command.assignedDevice, atMs: nowMs } });
  return em.enter('contacting_lifeguard', `found ${command.assignedDevice}`).done();
}

function closeRequest(em: RequestEmitter, reason: 'returned' | 'expired'): Decision<RequestEvent> {
  em.release(reason).enter('closed', reason);
  return em.emit({ type: 'RequestClosed', data: { reason, atMs: em.nowMs } }).done();
}

function decideFindResult(em: RequestEmitter, command: Command<'FindResult'>): Decision<RequestEvent> {
  const { state, seq, requestedDevice, counters } = em.state;
  const { outcome } = command;
  // A device attached for this request is taken while the request still finds, even by a find that its
  // finding timeout overtook: refusing it would strand the device (the finder detaches what is refused).
  const current = command.seq === seq || outcome.kind === 'attached';
  if (state !== 'finding_device' || !current) return reject('stale_result', 'not finding a device now');
  if (outcome.kind === 'attached') {
    em.emit({ type: 'RequestDeviceAssigned', data: { device: outcome.device, atMs: em.nowMs } });
    return em.enter('contacting_lifeguard', `found ${outcome.device}`).done();
  }
  if (outcome.kind === 'bad_device') return em.fail('failed_bad_device', `device ${requestedDevice} has failed`).done();
  const tries = counters.finding_device ?? 0;
  const busy =
    outcome.kind === 'busy' && outcome.silentServer !== undefined ? `device ${requestedDevice} cannot be had now: ${unansweredBy(outcome.silentServer)}` : `device ${requestedDevice} is busy`;
  if (outcome.kind === 'busy' && tries >= em.limits.namedBusyMax) return em.fail('failed_device_busy', busy).done();
  return accept({ type: 'RequestLogged', data: { message: outcome.kind === 'busy' ? busy : 'no free device', atMs: em.nowMs } });
}

function decideLifeguardResult(em: RequestEmitter, command: Command<'LifeguardResult'>): Decision<RequestEvent> {
  const { state, seq, counters } = em.state;
  if (state !== 'contacting_lifeguard' || command.seq !== seq) return reject('stale_result', 'not contacting LifeGuard now');
  switch (command.outcome) {
    case 'accepted':
      return em.enter('pending', `LifeGuard is preparing the device: ${command.detail}`).done();
    case 'not_ready':
      return em.release(`device not ready: ${command.detail}`).enter('finding_device', 'device not ready').done();
    case 'bad_image':
      return em.fail('failed_bad_image', command.detail).done();
    case 'unreachable':
      if ((counters.contacting_lifeguard ?? 0) >= em.limits.contactingMaxTries) return em.fail('failed_device_not_found', `LifeGuard unreachable: ${command.detail}`).done();
      return accept({ type: 'RequestLogged', data: { message: `LifeGuard unreachable: ${command.detail}`, atMs: em.nowMs } });
    default:
      return command.outcome satisfies never;
  }
}

function decideImagingResult(em: RequestEmitter, command: Command<'ImagingResult'>): Decision<RequestEvent> {
  const { state, assignedDevice, requestedDevice, badImages } = em.state;
  if (state !== 'pending' || command.device !== assignedDevice) return reject('stale_result', `not waiting for ${command.device}`);
  em.emit({ type: 'RequestImagingResultReceived', data: { device: command.device, result: command.result, atMs: em.nowMs } });
  if (command.result === 'complete') return em.enter('ready', `${command.device} is ready`).done();
  if (command.result === 'failed-bad-image') {
    if (badImages + 1 >= em.limits.badImageMax) return em.fail('failed_bad_image', `image ${em.state.image} failed twice`).done();
    return em.enter('contacting_lifeguard', 'bad image: trying again').done();
  }
  if (requestedDevice !== 'any') return em.fail('failed_bad_device', `device ${command.device} failed`).done();
  return em.release(`device ${command.device} failed`).enter('finding_device', `device ${command.device} failed: finding another`).done();
}

function decideTimeout(em: RequestEmitter, command: Command<'Timeout'>): Decision<RequestEvent> {
  const deadline = requestDeadline(em.state);
  // The time counts too: `expiry` keeps its name when a renewal moves it.
  if (deadline?.name !== command.deadline.name || deadline.atMs !== command.deadline.atMs) {
    return reject('stale_timeout', `no deadline ${command.deadline.name} at ${command.deadline.atMs}`);
  }
  if (deadline.name === 'expiry') return closeRequest(em, 'expired');
  const { state, counters, requestedDevice } = em.state;
  const count = counters[state] ?? 0;
  const reason = `timeout in ${state}`;
  if (state === 'finding_device') {
    if (requestedDevice === 'any' && count >= em.limits.findingMaxTries) return em.fail('failed_device_not_found', `no free device after ${count} tries`).done();
    return em.enter('finding_device', reason).done();
  }
  if (state === 'contacting_lifeguard') {
    if (count >= em.limits.contactingMaxTries) return em.fail('failed_device_not_found', `LifeGuard did not answer ${count} times`).done();
    return em.enter('contacting_lifeguard', reason).done();
  }
  if (state === 'pending' && count >= em.limits.pendingMaxTimeouts && requestedDevice === 'any') {
    return em.release(`${reason} ${count} times`).enter('finding_device', `no imaging result after ${count} timeouts: finding another device`).done();
  }
  return em.enter(state, reason).done();
}

/** Events posted to `/api/request/{id}/event/{name}/`: imaging results from a remote LifeGuard, else logged. */
function decideReportedEvent(em: RequestEmitter, command: Command<'ReportEvent'>): Decision<RequestEvent> {
  const { event } = command;
  const device = em.state.assignedDevice;
  if ((event === 'complete' || event === 'failed-bad-image' || event === 'failed-bad-device') && device !== null && em.state.state === 'pending') {
    return decideImagingResult(em, { type: 'ImagingResult', device, result: event, nowMs: command.nowMs });
  }
  return accept({ type: 'RequestEventReported', data: { event, state: em.state.state, ignored: true, atMs: command.nowMs } });
}
