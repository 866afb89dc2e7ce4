import type { Holder } from '../holders/holder.js';
import type { BootKind, DeviceEvent, DeviceInventory } from './device-events.js';
import type { LifeGuardState } from './lifeguard-states.js';

export type DeviceState = {
  /** null until registered. */
  readonly name: string | null;
  readonly inventory: DeviceInventory | null;
  readonly retired: boolean;
  readonly state: LifeGuardState;
  readonly stateEnteredAtMs: number;
  readonly timeoutAtMs: number | null;
  /** Number of state entries so far: results of hardware calls name the entry they belong to. */
  readonly seq: number;
  readonly counters: Readonly<Record<string, number>>;
  /** Who holds the device (a request, a pool…); null when nobody does. */
  readonly holder: Holder | null;
  /** Installed image and its boot config ('' when unknown). */
  readonly image: string;
  readonly bootConfig: string;
  /** The image being installed, with its boot config and PXE config. */
  readonly nextImage: string | null;
  readonly nextBootConfig: string;
  readonly pxeConfig: string | null;
  readonly boot: { readonly id: string; readonly kind: BootKind; readonly startedAtMs: number } | null;
  readonly comments: string;
  /** The hidden live image (`self-test`, `maintenance`) the device runs since it booted it; null: its installed image. */
  readonly liveImage: string | null;
  /**
   * Self-tests started in a row because verify failed in `ready`, since the device last proved itself
   * (a full `ready` period, an operation completed, or a please or forced move).
   */
  readonly selfTestVerifyRounds: number;
  /** The device's latest handover between servers; null when it never moved (its owner is `inventory.imagingServer`). */
  readonly handover: DeviceHandover | null;
};

/** A move of the device from one server to another (`DeviceHandedOver`). */
export type DeviceHandover = { readonly from: string; readonly to: string; readonly atMs: number };

export const initialDeviceState: DeviceState = {
  name: null,
  inventory: null,
  retired: false,
  state: 'new',
  stateEnteredAtMs: 0,
  timeoutAtMs: null,
  seq: 0,
  counters: {},
  holder: null,
  image: '',
  bootConfig: '',
  nextImage: null,
  nextBootConfig: '',
  pxeConfig: null,
  boot: null,
  comments: '',
  liveImage: null,
  selfTestVerifyRounds: 0,
  handover: null,
};

/** Free = ready, registered, not retired and held by nobody. */
export function isFree(state: DeviceState): boolean {
  return state.name !== null && !state.retired && state.state === 'ready' && state.holder === null;
}

export function evolveDevice(state: DeviceState, event: DeviceEvent): DeviceState {
  switch (event.type) {
    case 'DeviceRegistered': {
      const { name, atMs, ...inventory } = event.data;
      return { ...state, name, inventory, retired: false, stateEnteredAtMs: atMs };
    }
    case 'DeviceInventoryUpdated': {
      const { atMs: _atMs, ...inventory } = event.data;
      return { ...state, inventory, retired: false };
    }
    case 'DeviceRetired':
      return { ...state, retired: true };
    case 'DeviceStateEntered': {
      const { to, atMs, timeoutAtMs, counter, clearedCounters } = event.data;
      const counters = { ...(clearedCounters ? {} : state.counters), [to]: counter };
      const entered = { ...state, state: to, stateEnteredAtMs: atMs, timeoutAtMs, counters, seq: state.seq + 1 };
      return { ...entered, liveImage: liveImageAfter(state, event.data), selfTestVerifyRounds: selfTestVerifyRoundsAfter(state, event.data) };
    }
    case 'DeviceHolderAttached':
      return { ...state, holder: event.data.holder };
    case 'DeviceHolderDetached':
      return { ...state, holder: null };
    case 'DeviceHolderTransferred':
      return { ...state, holder: event.data.to };
    case 'DeviceImagingRequested':
      return { ...state, nextImage: event.data.image, nextBootConfig: event.data.bootConfig, pxeConfig: event.data.pxeConfig };
    case 'DeviceImageInstalled':
      return { ...state, image: event.data.image, bootConfig: event.data.bootConfig, nextImage: null, nextBootConfig: '', pxeConfig: null };
    case 'DeviceBootConfigSet':
      return { ...state, bootConfig: event.data.bootConfig };
    case 'BootStarted': {
      const { bootId, kind, atMs } = event.data;
      return { ...state, boot: { id: bootId, kind, startedAtMs: atMs } };
    }
    case 'BootEnded':
      return { ...state, boot: null };
    case 'DeviceCommentsSet':
      return { ...state, comments: event.data.comments };
    case 'DeviceEnvironmentSet':
      return state.inventory ? { ...state, inventory: { ...state.inventory, environment: event.data.environment } } : state;
    case 'PowerCycleRequested':
    case 'PowerOffRequested':
      return { ...state, liveImage: null };
    case 'DeviceHandedOver': {
      const { from, to, atMs } = event.data;
      return { ...state, inventory: state.inventory === null ? null : { ...state.inventory, imagingServer: to }, handover: { from, to, atMs } };
    }
    case 'PowerCycleSucceeded':
    case 'PowerCycleFailed':
    case 'PxeClearRequested':
    case 'VerifyFailed':
    case 'DeviceEventReported':
    case 'DeviceLogged':
    case 'DeviceFactsReported':
      return state;
    default:
      return event satisfies never;
  }
}

type Transition = Extract<DeviceEvent, { readonly type: 'DeviceStateEntered' }>['data'];

/** A power cycle ends any live image; the self-test and maintenance second stages are one. */
function liveImageAfter(state: DeviceState, { to, trigger }: Transition): string | null {
  if (to === 'pxe_power_cycling' || to === 'pc_power_cycling') return null;
  if (to === 'self_test_running') return 'self-test';
  if (to === 'maintenance_mode' && trigger === 'device_event') return 'maintenance';
  return state.liveImage;
}

function selfTestVerifyRoundsAfter(state: DeviceState, { from, to, trigger }: Transition): number {
  if (to === 'start_self_test' && trigger === 'verify_result') return state.selfTestVerifyRounds + 1;
  const provedItself = to === 'operation_complete' || trigger === 'please' || trigger === 'forced' || (from === 'ready' && to === 'ready' && trigger === 'timeout');
  return provedItself ? 0 : state.selfTestVerifyRounds;
}
