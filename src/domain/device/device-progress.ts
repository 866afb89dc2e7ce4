import { reject, type Deadline } from '../decider.js';
import type { DeviceCommand } from './device-commands.js';
import type { BootKind } from './device-events.js';
import { VERIFY_POWER_CYCLE_EVERY, genericStateKey, limitOf, type LimitKey } from './device-limits.js';
import type { DeviceState } from './device-state.js';
import { isImageChainState, type DeviceDecision, type DeviceEmitter } from './device-transitions.js';
import type { ImageChainState, LifeGuardState } from './lifeguard-states.js';

type Command<Type extends DeviceCommand['type']> = Extract<DeviceCommand, { type: Type }>;

/** The stages that go back to `pxe_power_cycling` when they time out (NOTES.md: the boot chain). */
const BOOT_CHAIN: ReadonlySet<LimitKey | LifeGuardState> = new Set<LimitKey>(['pxe_booting', 'mobile_init_started', 'image_downloading', 'image_extracting']);

export function stateDeadline(state: DeviceState): Deadline | undefined {
  if (state.timeoutAtMs === null || state.retired || state.name === null) return undefined;
  // A held device waits in `ready` for its holder, without verifying.
  if (state.state === 'ready' && state.holder !== null) return undefined;
  return { name: `${state.state}#${state.seq}`, atMs: state.timeoutAtMs };
}

export function decideTimeout(em: DeviceEmitter, command: Command<'Timeout'>): DeviceDecision {
  const current = stateDeadline(em.state);
  if (current?.name !== command.deadline.name) return reject('stale_timeout', `no deadline ${command.deadline.name}`);
  const { state } = em.state;
  const key = genericStateKey(state);
  const reason = `timeout in ${state}`;
  if (state === 'new') return done(em.startBoot('self_test', 'self-test', null).enter('start_self_test', 'timeout', reason, true));
  if (state === 'pc_rebooting') return done(em.enter('pc_pinging', 'timeout', reason));
  if (state === 'pc_pinging') return done(timeoutPinging(em, reason));
  if (state === 'self_test_running') return done(em.enter('failed_self_test', 'timeout', reason));
  if (key === 'failed_verifying' || key === 'failed_image_downloading') {
    return done(em.startBoot('self_test', 'self-test', null).enter('start_self_test', 'timeout', `${state}: starting a self-test`, true));
  }
  if (BOOT_CHAIN.has(key)) return done(em.retryOrFail('timeout', reason, 'pxe_power_cycling'));
  if (state === 'verifying') return done(timeoutVerifying(em, reason));
  return done(em.retryOrFail('timeout', reason));
}

/** Every Nth verify timeout power-cycles the device without PXE: a hung image gets a fresh start. */
function timeoutVerifying(em: DeviceEmitter, reason: string): DeviceEmitter {
  const timeouts = em.state.counters.verifying ?? 0;
  em.retryOrFail('timeout', reason);
  if (em.state.state === 'verifying' && timeouts % VERIFY_POWER_CYCLE_EVERY === 0) {
    em.emit({ type: 'PowerCycleRequested', data: { pxeConfig: null, atMs: em.nowMs } });
  }
  return em;
}

function timeoutPinging(em: DeviceEmitter, reason: string): DeviceEmitter {
  const { maxCount } = limitOf(em.limits, 'pc_pinging');
  const tries = em.state.counters.pc_pinging ?? 0;
  if (maxCount !== null && tries > maxCount) return em.enter('pc_power_cycling', 'timeout', `${reason}: no answer after ${tries} pings`);
  return em.enter('pc_pinging', 'timeout', reason);
}

export function decidePowerCycleResult(em: DeviceEmitter, command: Command<'PowerCycleResult'>): DeviceDecision {
  const { state, seq } = em.state;
  if (command.seq !== seq) return reject('stale_result', `power result for entry ${command.seq}, now at ${seq}`);
  const atMs = command.nowMs;
  if (command.ok) {
    em.emit({ type: 'PowerCycleSucceeded', data: { atMs } });
    if (state === 'pxe_power_cycling') return done(em.enter('pxe_booting', 'power_result', 'power cycle ok'));
    if (state === 'pc_power_cycling') return done(em.enter('pc_rebooting', 'power_result', 'power cycle ok'));
    return done(em);
  }
  const error = command.error ?? 'power cycle failed';
  em.emit({ type: 'PowerCycleFailed', data: { error, atMs } });
  if (command.failure === 'no_power_info') return done(em.enter('failed_power_cycling', 'power_result', error));
  if (command.failure === 'no_pxe_config') return done(em.enter('failed_pxe_booting', 'pxe_result', error));
  // The state's timeout retries: a PDU that fails fast is not hammered, and the limit counts timeouts.
  return done(em);
}

export function decideVerifyResult(em: DeviceEmitter, command: Command<'VerifyResult'>): DeviceDecision {
  const { state, seq, holder } = em.state;
  if (command.seq !== seq) return reject('stale_result', `verify result for entry ${command.seq}, now at ${seq}`);
  if (command.ok) {
    if (state === 'verifying' || state === 'pc_pinging') return done(em.enter('operation_complete', 'verify_result', 'device is up'));
    return reject('no_change', 'verify ok');
  }
  const error = command.error ?? 'verify failed';
  em.emit({ type: 'VerifyFailed', data: { error, atMs: command.nowMs } });
  if (state === 'ready' && holder === null) return done(selfTestAfterVerifyFailed(em, error));
  return done(em);
}

/** A free device that fails verify self-tests; one that keeps passing its self-test but failing verify gives up. */
function selfTestAfterVerifyFailed(em: DeviceEmitter, error: string): DeviceEmitter {
  const rounds = em.state.selfTestVerifyRounds;
  const { maxCount } = limitOf(em.limits, 'self_test_verify');
  if (maxCount !== null && rounds >= maxCount) {
    return em.enter('failed_self_test_verify', 'verify_result', `verify failed after ${rounds} passed self-tests in a row: ${error}`);
  }
  return em.startBoot('self_test', 'self-test', null).enter('start_self_test', 'verify_result', `verify failed: ${error}`, true);
}

/** Second-stage events: each moves the chain one step, or is logged and ignored. */
export function decideReportEvent(em: DeviceEmitter, command: Command<'ReportEvent'>): DeviceDecision {
  const { state } = em.state;
  if (state === 'pxe_power_cycling' && provesPowerOn(em.state, command.event)) return decidePowerProvenByEvent(em, command);
  const next = nextStateFor(state, command.event);
  em.emit({ type: 'DeviceEventReported', data: { event: command.event, state, ignored: next === undefined, atMs: command.nowMs } });
  if (next === undefined) return done(em);
  em.enter(next, 'device_event', `device reported ${command.event}`);
  if (next.endsWith('_rebooting')) em.enter('verifying', 'device_event', 'verifying the new image');
  return done(em);
}

/** The first event each kind of boot's second stage reports: it can only come from the boot in progress. */
const FIRST_SECOND_STAGE_EVENT: Readonly<Partial<Record<BootKind, string>>> = { image: 'mobile_init_started', self_test: 'self_test_running', maintenance: 'maint_mode' };

function provesPowerOn(state: DeviceState, event: string): boolean {
  return state.boot !== null && FIRST_SECOND_STAGE_EVENT[state.boot.kind] === event;
}

/**
 * A fast board can PXE boot and report before a slow PDU answers the read-back: its second stage
 * proves the power came on, so the power cycle is recorded as succeeded and the event taken in its place.
 */
function decidePowerProvenByEvent(em: DeviceEmitter, command: Command<'ReportEvent'>): DeviceDecision {
  em.emit({ type: 'PowerCycleSucceeded', data: { atMs: command.nowMs } });
  em.enter('pxe_booting', 'device_event', `device reported ${command.event} before the power read-back: power cycle ok`);
  return decideReportEvent(em, command);
}

/** A second-stage event named after the image chain state it reports (`android_downloading`…): the next state. */
function isImageChainEvent(event: string): event is ImageChainState {
  return /^[a-z0-9][a-z0-9-]*_(downloading|extracting|rebooting)$/i.test(event);
}

function nextStateFor(state: LifeGuardState, event: string): LifeGuardState | undefined {
  const booting = state === 'pxe_booting' || state === 'mobile_init_started';
  if (state === 'pxe_booting' && event === 'mobile_init_started') return 'mobile_init_started';
  if (booting && event === 'maint_mode') return 'maintenance_mode';
  if (booting && event === 'self_test_running') return 'self_test_running';
  if (state === 'self_test_running' && event === 'self_test_ok') return 'ready';
  if (state === 'self_test_running' && event === 'failed_self_test') return 'failed_self_test';
  if (!isImageChainEvent(event)) return undefined;
  if (state === 'mobile_init_started' && event.endsWith('_downloading')) return event;
  if (isImageChainState(state) && state.endsWith('_downloading') && event.endsWith('_extracting')) return event;
  if (isImageChainState(state) && state.endsWith('_extracting') && event.endsWith('_rebooting')) return event;
  return undefined;
}

export function done(em: DeviceEmitter): DeviceDecision {
  return { ok: true, events: em.events, state: em.state };
}
