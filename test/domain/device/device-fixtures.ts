import assert from 'node:assert/strict';
import type { Decider } from '../../../src/domain/decider.js';
import type { DeviceCommand, PowerFailure } from '../../../src/domain/device/device-commands.js';
import { createDeviceDecider } from '../../../src/domain/device/device-decider.js';
import type { DeviceEvent, DeviceInventory } from '../../../src/domain/device/device-events.js';
import type { DeviceState } from '../../../src/domain/device/device-state.js';
import { givenDecider, type Outcome } from '../../support/given-when-then.js';

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
    ...overrides,
  };
}

export class DeviceHistory {
  readonly events: DeviceEvent[] = [];
  state: DeviceState;
  nowMs = T0;

  constructor(readonly decider: DeviceDecider = deviceDecider) {
    this.state = decider.initialState;
  }

  /** Sends a command (built from the current state when a function); it must be accepted. */
  send(command: DeviceCommand | ((state: DeviceState, nowMs: number) => DeviceCommand)): this {
    const built = typeof command === 'function' ? command(this.state, this.nowMs) : command;
    const decision = this.decider.decide(built, this.state);
    if (!decision.ok) assert.fail(`fixture command ${built.type} rejected: ${decision.rejection.code}: ${decision.rejection.message}`);
    for (const event of decision.events) {
      this.events.push(event);
      this.state = this.decider.evolve(this.state, event);
    }
    return this;
  }

  advance(ms: number): this {
    this.nowMs += ms;
    return this;
  }

  register(inventory: DeviceInventory = inventoryOf()): this {
    return this.send({ type: 'Register', name: NAME, inventory, nowMs: this.nowMs });
  }

  /** The current state's deadline passes (the clock moves to it). */
  timeout(): this {
    return this.send((state) => {
      const command = timeoutOf(this.decider, state);
      this.nowMs = command.nowMs;
      return command;
    });
  }

  times(n: number, step: (history: this) => unknown): this {
    for (let i = 0; i < n; i++) step(this);
    return this;
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
    return this.send({ type: 'AttachRequest', requestId, nowMs: this.nowMs });
  }

  /** given(...these events): the scenario to send the command under test to. */
  given() {
    return givenDecider(this.decider).given(...this.events);
  }

  /** Shorthand: `given().when(command)`; a function builds the command from the current state. */
  when(command: DeviceCommand | ((state: DeviceState, nowMs: number) => DeviceCommand)): DeviceOutcome {
    const built = typeof command === 'function' ? command(this.state, this.nowMs) : command;
    return this.given().when(built);
  }

  whenTimeout(): DeviceOutcome {
    return this.given().when(timeoutOf(this.decider, this.state));
  }
}

export function timeoutOf(decider: DeviceDecider, state: DeviceState): Extract<DeviceCommand, { type: 'Timeout' }> {
  const deadline = decider.nextDeadline?.(state);
  assert.ok(deadline, `state ${state.state} has no deadline`);
  return { type: 'Timeout', deadline, nowMs: deadline.atMs };
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
export function enteredStates(outcome: DeviceOutcome): string[] {
  assert.ok(outcome.decision.ok, 'expected an accepted decision');
  return outcome.decision.events.flatMap((event) => (event.type === 'DeviceStateEntered' ? [event.data.to] : []));
}

/** The events of one type in an accepted outcome. */
export function eventsOf<Type extends DeviceEvent['type']>(outcome: DeviceOutcome, type: Type): Extract<DeviceEvent, { type: Type }>[] {
  assert.ok(outcome.decision.ok, 'expected an accepted decision');
  return outcome.decision.events.filter((event): event is Extract<DeviceEvent, { type: Type }> => event.type === type);
}

export const inState = (expected: string) => (state: DeviceState) => assert.equal(state.state, expected);
