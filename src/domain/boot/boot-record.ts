import type { BootKind, DeviceEvent } from '../device/device-events.js';
import { evolveDevice, initialDeviceState, type DeviceState } from '../device/device-state.js';
import type { Holder } from '../holders/holder.js';

/**
 * The audit record of one boot (imaging, plain power cycle, self-test, maintenance) of a device:
 * a fold of the device's own stream, which holds every step of it (BootStarted, the states entered,
 * power cycles, the device's reports, BootEnded), so nothing is written twice to keep it.
 */
export type BootRecord = {
  readonly bootId: string;
  readonly device: string;
  readonly kind: BootKind;
  readonly image: string | null;
  readonly pxeConfig: string | null;
  /** The boot config the image gets (JSON text, '' when none). */
  readonly bootConfig: string;
  readonly hardwareType: string;
  /** Who held the device when the boot started. */
  readonly holder: Holder | null;
  readonly startedAtMs: number;
  readonly stages: readonly { readonly stage: string; readonly counter: number; readonly atMs: number }[];
  readonly powerCycles: readonly { readonly ok: boolean; readonly error: string | null; readonly atMs: number }[];
  readonly deviceReports: readonly { readonly event: string; readonly atMs: number }[];
  /** null while the boot runs. */
  readonly finished: BootFinish | null;
};

export type BootFinish = {
  readonly outcome: 'complete' | 'failed';
  /** The device state that ended the boot (`operation_complete`, `failed_pxe_booting`…). */
  readonly finalState: string;
  readonly atMs: number;
  readonly durationMs: number;
  /** Time spent in each stage, summed over re-entries. */
  readonly stageDurationsMs: Readonly<Record<string, number>>;
};

/** The device as its own fold has it (what a boot's record starts with), and its boots. */
export type DeviceBoots = {
  readonly device: string;
  readonly state: DeviceState;
  /** Oldest first; the last one may still run. */
  readonly boots: readonly BootRecord[];
};

export const noBoots = (device: string): DeviceBoots => ({ device, state: initialDeviceState, boots: [] });

/** The boot under way, if any. */
function running(boots: DeviceBoots): BootRecord | undefined {
  const last = boots.boots.at(-1);
  return last?.finished === null ? last : undefined;
}

function updateRunning(boots: DeviceBoots, update: (boot: BootRecord) => BootRecord): DeviceBoots {
  const boot = running(boots);
  return boot === undefined ? boots : { ...boots, boots: [...boots.boots.slice(0, -1), update(boot)] };
}

export function evolveBoots(previous: DeviceBoots, event: DeviceEvent): DeviceBoots {
  const boots = { ...previous, state: evolveDevice(previous.state, event) };
  switch (event.type) {
    case 'BootStarted':
      return { ...boots, boots: [...boots.boots, startedBoot(boots, event.data)] };
    case 'DeviceStateEntered': {
      const { to, counter, atMs } = event.data;
      return updateRunning(boots, (boot) => ({ ...boot, stages: [...boot.stages, { stage: to, counter, atMs }] }));
    }
    case 'PowerCycleSucceeded':
    case 'PowerCycleFailed': {
      const attempt = { ok: event.type === 'PowerCycleSucceeded', error: event.type === 'PowerCycleFailed' ? event.data.error : null, atMs: event.data.atMs };
      return updateRunning(boots, (boot) => ({ ...boot, powerCycles: [...boot.powerCycles, attempt] }));
    }
    case 'DeviceEventReported': {
      const { event: name, ignored, atMs } = event.data;
      return ignored ? boots : updateRunning(boots, (boot) => ({ ...boot, deviceReports: [...boot.deviceReports, { event: name, atMs }] }));
    }
    case 'BootEnded': {
      const { bootId, outcome, state, atMs } = event.data;
      return updateRunning(boots, (boot) => (boot.bootId === bootId ? { ...boot, finished: finish(boot, outcome, state, atMs) } : boot));
    }
    default:
      return boots;
  }
}

function startedBoot({ device, state }: DeviceBoots, data: Extract<DeviceEvent, { readonly type: 'BootStarted' }>['data']): BootRecord {
  const { bootId, kind, image, pxeConfig, atMs } = data;
  const hardwareType = state.inventory?.hardwareType ?? '';
  // The boot config of the image being installed, as the device's state has it.
  return {
    bootId,
    device,
    kind,
    image,
    pxeConfig,
    bootConfig: state.nextBootConfig,
    hardwareType,
    holder: state.holder,
    startedAtMs: atMs,
    stages: [],
    powerCycles: [],
    deviceReports: [],
    finished: null,
  };
}

function finish(boot: BootRecord, outcome: 'complete' | 'failed', finalState: string, atMs: number): BootFinish {
  const stageDurationsMs: Record<string, number> = {};
  boot.stages.forEach(({ stage, atMs: enteredAtMs }, i) => {
    const leftAtMs = boot.stages[i + 1]?.atMs ?? atMs;
    stageDurationsMs[stage] = (stageDurationsMs[stage] ?? 0) + Math.max(0, leftAtMs - enteredAtMs);
  });
  return { outcome, finalState, atMs, durationMs: Math.max(0, atMs - boot.startedAtMs), stageDurationsMs };
}
