import { describeHolder, sameHolder } from '../holders/holder.js';
import { accept, reject, type Decider } from '../decider.js';
import type { DeviceCommand } from './device-commands.js';
import { DEVICE_EVENT_TYPES } from './device-event-types.js';
import type { DeviceEvent } from './device-events.js';
import { DEFAULT_DEVICE_LIMITS, type DeviceLimits } from './device-limits.js';
import { decidePowerCycleResult, decideReportEvent, decideTimeout, decideVerifyResult, done, stateDeadline } from './device-progress.js';
import { evolveDevice, initialDeviceState, isFree, type DeviceState } from './device-state.js';
import { decideHandOver, handedOverRejection, isHandedOverAwayFrom } from './device-handover.js';
import { DeviceEmitter, acceptsPlease, type DeviceDecision } from './device-transitions.js';
import { isImageName, isLifeGuardState } from './lifeguard-states.js';
import { isSameJson } from '../inventory/same-json.js';

type Command<Type extends DeviceCommand['type']> = Extract<DeviceCommand, { type: Type }>;
type Please = Command<'PleaseImage' | 'PleasePowerCycle' | 'PleaseSelfTest' | 'PleaseStartMaintenance'>;

/**
 * The LifeGuard device state machine, with MozPool's limits unless told otherwise. With `actingServer`
 * (the server whose actor decides), a device handed over to another server refuses every command but a
 * new handover, and has no deadline there: a server brought back after a handover leaves it alone.
 */
export function createDeviceDecider(limits: DeviceLimits = DEFAULT_DEVICE_LIMITS, actingServer?: string): Decider<DeviceCommand, DeviceEvent, DeviceState> {
  const isElsewhere = (state: DeviceState) => actingServer !== undefined && isHandedOverAwayFrom(state, actingServer);
  return {
    initialState: initialDeviceState,
    knownEventTypes: DEVICE_EVENT_TYPES,
    decide: (command, state) => (command.type !== 'HandOver' && isElsewhere(state) ? { ok: false, rejection: handedOverRejection(state) } : decideDevice(command, state, limits)),
    evolve: evolveDevice,
    nextDeadline: (state) => (isElsewhere(state) ? undefined : stateDeadline(state)),
    timeoutCommand: (deadline, nowMs) => ({ type: 'Timeout', deadline, nowMs }),
    deadlineFields: actingServer === undefined ? DEADLINE_FIELDS : [...DEADLINE_FIELDS, 'inventory', 'handover'],
  };
}

const DEADLINE_FIELDS: readonly (keyof DeviceState)[] = ['name', 'retired', 'state', 'seq', 'timeoutAtMs', 'holder'];

function decideDevice(command: DeviceCommand, state: DeviceState, limits: DeviceLimits): DeviceDecision {
  if (command.type === 'Register') return decideRegister(command, state, limits);
  if (state.name === null) return reject('unknown_device', 'the device is not registered');
  const em = new DeviceEmitter(state, limits, command.nowMs);
  switch (command.type) {
    case 'Retire':
      return state.retired ? accept() : accept({ type: 'DeviceRetired', data: { atMs: command.nowMs } });
    case 'PleaseImage':
    case 'PleasePowerCycle':
    case 'PleaseSelfTest':
    case 'PleaseStartMaintenance':
      return decidePlease(em, command);
    case 'Continue':
      return decideContinue(em, command);
    case 'PowerCycleResult':
      return decidePowerCycleResult(em, command);
    case 'VerifyResult':
      return decideVerifyResult(em, command);
    case 'ReportEvent':
      return decideReportEvent(em, command);
    case 'Timeout':
      return decideTimeout(em, command);
    case 'HandOver':
      return decideHandOver(state, command);
    default:
      return decideOperatorCommand(em, command);
  }
}

function decideOperatorCommand(
  em: DeviceEmitter,
  command: Exclude<DeviceCommand, Please | Command<'Register' | 'Retire' | 'Continue' | 'PowerCycleResult' | 'VerifyResult' | 'ReportEvent' | 'Timeout' | 'HandOver'>>,
): DeviceDecision {
  const atMs = command.nowMs;
  switch (command.type) {
    case 'ForceState':
      // The route checks `to` against the catalogue's images; here any image name will do.
      if (!isLifeGuardState(command.to, isImageName)) return reject('unknown_state', `${command.to} is not a LifeGuard state`);
      if (em.state.state !== command.from) return reject('wrong_state', `device is in ${em.state.state}, not ${command.from}`);
      return done(em.enter(command.to, 'forced', `forced from ${command.from}`));
    case 'AttachHolder':
      return decideAttach(em.state, command);
    case 'DetachHolder':
      return decideDetach(em, command);
    case 'TransferHolder':
      return decideTransfer(em.state, command);
    case 'SetComments':
      return accept({ type: 'DeviceCommentsSet', data: { comments: command.comments, atMs } });
    case 'SetEnvironment':
      return accept({ type: 'DeviceEnvironmentSet', data: { environment: command.environment, atMs } });
    case 'BmmPowerCycle':
      return decideBmmPowerCycle(em, command);
    case 'RecordPowerCycle':
      return command.ok ? accept({ type: 'PowerCycleSucceeded', data: { atMs } }) : accept({ type: 'PowerCycleFailed', data: { error: command.error ?? 'power cycle failed', atMs } });
    case 'PowerOff':
      return accept({ type: 'PowerOffRequested', data: { atMs } });
    case 'ClearPxe':
      return accept({ type: 'PxeClearRequested', data: { reason: command.reason, atMs } });
    case 'Log':
      return done(em.log(command.source, command.message));
    case 'ReportFacts':
      return decideReportFacts(em.state, command);
    default:
      return command satisfies never;
  }
}

function decideRegister(command: Command<'Register'>, state: DeviceState, limits: DeviceLimits): DeviceDecision {
  const atMs = command.nowMs;
  if (command.onlyNew === true && state.name !== null && !state.retired) return reject('already_registered', `device ${state.name} is already registered`);
  const entry = command.deployed === true ? 'ready' : 'new';
  if (state.name === null) {
    const registered: DeviceEvent = { type: 'DeviceRegistered', data: { name: command.name, ...command.inventory, atMs } };
    const entered = new DeviceEmitter(evolveDevice(state, registered), limits, atMs);
    return accept(registered, ...entered.enter(entry, 'registered', command.deployed === true ? 'registered as already deployed' : 'registered').events);
  }
  // Key order is no change: an inventory read back from the store (or upcast) may list its keys in another.
  const unchanged = !state.retired && state.inventory !== null && isSameJson(state.inventory, command.inventory);
  if (unchanged) return accept();
  const updated: DeviceEvent = { type: 'DeviceInventoryUpdated', data: { ...command.inventory, atMs } };
  // A retired device announced again as deployed is up again, whatever state it was retired in.
  if (command.deployed !== true || (!state.retired && state.state === 'ready')) return accept(updated);
  const entered = new DeviceEmitter(evolveDevice(state, updated), limits, atMs);
  return accept(updated, ...entered.enter('ready', 'registered', 'registered again as already deployed').events);
}

function decidePlease(em: DeviceEmitter, command: Please): DeviceDecision {
  const kind = ({ PleaseImage: 'image', PleasePowerCycle: 'power_cycle', PleaseSelfTest: 'self_test', PleaseStartMaintenance: 'maintenance' } as const)[command.type];
  if (!acceptsPlease(em.state.state, kind)) return reject('wrong_state', `${command.type} is not accepted in ${em.state.state}`);
  if (command.type === 'PleaseImage') {
    if (command.pxeConfig === null) return done(em.log('lifeguard', `no PXE config for ${command.image} on ${em.state.inventory?.hardwareType}: not imaging`));
    const { image, bootConfig, pxeConfig } = command;
    em.emit({ type: 'DeviceImagingRequested', data: { image, bootConfig, pxeConfig, atMs: command.nowMs } });
    em.startBoot('image', image, pxeConfig).enter('start_pxe_boot', 'please', `please_image ${image}`, true);
    return done(em.enter('pxe_power_cycling', 'continue', `PXE booting ${image} with ${pxeConfig}`));
  }
  if (command.type === 'PleasePowerCycle') return done(em.startBoot('power_cycle', null, null).enter('pc_power_cycling', 'please', 'please_power_cycle', true));
  if (command.type === 'PleaseSelfTest') return done(em.startBoot('self_test', 'self-test', null).enter('start_self_test', 'please', 'please_self_test', true));
  return done(em.startBoot('maintenance', 'maintenance', null).enter('start_maintenance', 'please', 'please_start_maintenance', true));
}

/** In `start_self_test` / `start_maintenance`: image the hidden image when it has a PXE config, else fall back. */
function decideContinue(em: DeviceEmitter, command: Command<'Continue'>): DeviceDecision {
  const { state, seq } = em.state;
  if (command.seq !== seq || (state !== 'start_self_test' && state !== 'start_maintenance')) return reject('stale_result', 'nothing to continue');
  const image = state === 'start_self_test' ? 'self-test' : 'maintenance';
  if (command.pxeConfig === null) {
    if (image === 'self-test') return done(em.enter('pc_power_cycling', 'continue', 'no self-test PXE config: plain power cycle'));
    return done(em.enter('maintenance_mode', 'continue', 'no maintenance PXE config: entering maintenance without imaging'));
  }
  em.emit({ type: 'DeviceImagingRequested', data: { image, bootConfig: '', pxeConfig: command.pxeConfig, atMs: command.nowMs } });
  return done(em.enter('pxe_power_cycling', 'continue', `PXE booting ${image} with ${command.pxeConfig}`));
}

function decideAttach(state: DeviceState, command: Command<'AttachHolder'>): DeviceDecision {
  if (sameHolder(state.holder, command.holder)) return accept();
  const attachable = command.anyState === true ? state.holder === null && state.name !== null && !state.retired : isFree(state);
  if (!attachable) {
    const why = state.holder !== null ? `attached to ${describeHolder(state.holder)}` : `in state ${state.state}`;
    return reject('not_free', `device ${state.name} is not free: ${why}`);
  }
  return accept({ type: 'DeviceHolderAttached', data: { holder: command.holder, atMs: command.nowMs } });
}

function decideDetach(em: DeviceEmitter, command: Command<'DetachHolder'>): DeviceDecision {
  // Idempotent: a release may be sent again (after a crash, or by the recovery at start).
  if (!sameHolder(em.state.holder, command.holder)) return accept();
  em.emit({ type: 'DeviceHolderDetached', data: { holder: command.holder, reason: command.reason, atMs: command.nowMs } });
  // Back in the pool: verify it now, and on every ready timeout from here on.
  if (em.state.state === 'ready') em.enter('ready', 'please', `${describeHolder(command.holder)} ${command.reason}`);
  return done(em);
}

/** The device stays held throughout: nobody else can attach it between the two holders. */
function decideTransfer(state: DeviceState, command: Command<'TransferHolder'>): DeviceDecision {
  const { from, to, reason, nowMs } = command;
  if (sameHolder(state.holder, to)) return accept();
  if (!sameHolder(state.holder, from)) {
    const holder = state.holder === null ? 'nobody' : describeHolder(state.holder);
    return reject('not_held', `device ${state.name} is held by ${holder}, not ${describeHolder(from)}`);
  }
  return accept({ type: 'DeviceHolderTransferred', data: { from, to, reason, atMs: nowMs } });
}

function decideBmmPowerCycle(em: DeviceEmitter, command: Command<'BmmPowerCycle'>): DeviceDecision {
  if (command.bootConfig !== null) em.emit({ type: 'DeviceBootConfigSet', data: { bootConfig: command.bootConfig, atMs: command.nowMs } });
  return done(em.emit({ type: 'PowerCycleRequested', data: { pxeConfig: command.pxeConfig, atMs: command.nowMs } }));
}

/** Whatever the state: facts describe the hardware, not what it runs. A retired device reports nothing. */
function decideReportFacts(state: DeviceState, command: Command<'ReportFacts'>): DeviceDecision {
  if (state.retired) return reject('unknown_device', `device ${state.name} is retired`);
  const { generator, format, facts, nowMs } = command;
  return accept({ type: 'DeviceFactsReported', data: { generator, format, facts, atMs: nowMs } });
}
