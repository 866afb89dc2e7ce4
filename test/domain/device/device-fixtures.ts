import { requestHolder } from '../../../src/dialects/mozpool/domain/request-holder.js';
import type { Decider } from '../../../src/domain/decider.js';
import type { DeviceCommand, PowerFailure } from '../../../src/domain/device/device-commands.js';
import { createDeviceDecider } from '../../../src/domain/device/device-decider.js';
import type { DeviceEvent, DeviceInventory } from '../../../src/domain/device/device-events.js';
import type { DeviceState } from '../../../src/domain/device/device-state.js';
import { DeciderHistory, enteredStates as enteredStatesOf } from '../../support/decider-history.js';
import type { Outcome } from '../../support/given-when-then.js';

export { eventsOf, inState, timeoutOf } from '../../support/decider-history.js';

/**
 * Device histories built by sending commands to the decider itself (so they cannot drift from
 * what the decider really emits), handed to `givenDecider(...).given(...)` as past events.
 */
export const T0 = Date.UTC(2024, 5, 1, 12, 0, 0);
export const NAME = 'panda-0001';
export const PXE = 'panda-android-pxe';

export type DeviceDecider = Decider<DeviceCommand, DeviceEvent, DeviceState>;
export type DeviceOutcome = Outcome<DeviceCommand, DeviceEvent, DeviceState>;

export const deviceDecider: DeviceDecider = createDeviceDecider();

export function inventoryOf(overrides: Partial<DeviceInventory> = {}): DeviceInventory {
  return {
    fqdn: `${NAME}.lab.example.com`,
    inventoryId: 101,
    macAddress: '00:11:22:33:44:55',
    imagingServer: 'lab1:8010',
    relayInfo: 'pdu1.lab.example.com/1',
    hardwareType: 'panda',
    environment: 'prod',
    tags: [],
    labels: {},
    rack: null,
    rackLabels: {},
    ...overrides,
  };
}

export class DeviceHistory extends DeciderHistory<DeviceCommand, DeviceEvent, DeviceState> {
  constructor(decider: DeviceDecider = deviceDecider) {
    super(decider, T0);
  }

  advance(ms: number): this {
    this.nowMs += ms;
    return this;
  }

  register(inventory: DeviceInventory = inventoryOf()): this {
    return this.send({ type: 'Register', name: NAME, inventory, nowMs: this.nowMs });
  }

  powerResult(ok: boolean, failure: PowerFailure = 'retry'): this {
    return this.send((state, nowMs) => ({ type: 'PowerCycleResult', seq: state.seq, ok, error: ok ? null : 'relay did not answer', failure, nowMs }));
  }

  verifyResult(ok: boolean): this {
    return this.send((state, nowMs) => ({ type: 'VerifyResult', seq: state.seq, ok, error: ok ? null : 'no answer on port 22', nowMs }));
  }

  continueWith(pxeConfig: string | null): this {
    return this.send((state, nowMs) => ({ type: 'Continue', seq: state.seq, pxeConfig, nowMs }));
  }

  report(...events: string[]): this {
    for (const event of events) this.send({ type: 'ReportEvent', event, nowMs: this.nowMs });
    return this;
  }

  pleaseImage(image = 'android', pxeConfig: string | null = PXE, bootConfig = '{"b2gbase":"http://x"}'): this {
    return this.send({ type: 'PleaseImage', image, bootConfig, pxeConfig, nowMs: this.nowMs });
  }

  force(from: string, to: string): this {
    return this.send({ type: 'ForceState', from, to, nowMs: this.nowMs });
  }

  attach(requestId: number): this {
    return this.send({ type: 'AttachHolder', holder: requestHolder(requestId), nowMs: this.nowMs });
  }
}

export const registeredDevice = (decider?: DeviceDecider) => new DeviceHistory(decider).register();

/** Registered, self-tested by a plain power cycle (no self-test PXE config), pinged, ready. */
export function readyDevice(decider?: DeviceDecider): DeviceHistory {
  return registeredDevice(decider).timeout().continueWith(null).powerResult(true).timeout().verifyResult(true);
}

/** A ready device imaging `image`, just after the power cycle succeeded: in `pxe_booting`. */
export function pxeBootingDevice(image = 'android', decider?: DeviceDecider): DeviceHistory {
  return readyDevice(decider).pleaseImage(image).powerResult(true);
}

/** The `to` of every `DeviceStateEntered` in the outcome, in order. */
export const enteredStates = (outcome: DeviceOutcome): string[] => enteredStatesOf(outcome, 'DeviceStateEntered');
