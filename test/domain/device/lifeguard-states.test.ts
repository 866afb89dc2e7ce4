import { requestHolder } from '../../../src/dialects/mozpool/domain/request-holder.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeviceCommand, PowerFailure } from '../../../src/domain/device/device-commands.js';
import { createDeviceDecider } from '../../../src/domain/device/device-decider.js';
import { DEVICE_EVENT_TYPES } from '../../../src/domain/device/device-event-types.js';
import type { DeviceEvent } from '../../../src/domain/device/device-events.js';
import { DEFAULT_DEVICE_LIMITS, type DeviceLimits } from '../../../src/domain/device/device-limits.js';
import type { DeviceState } from '../../../src/domain/device/device-state.js';
import { LIFEGUARD_FIXED_STATES, isLifeGuardState, lifeGuardStates } from '../../../src/domain/device/lifeguard-states.js';
import { toDomainEvent } from '../../../src/domain/to-domain-event.js';
import { NAME, PXE, T0, inState, inventoryOf, readyDevice } from './device-fixtures.js';

const IMAGES = ['android', 'self-test', 'maintenance'];
const isKnownImage = (image: string) => IMAGES.includes(image);

describe('LifeGuard states', () => {
  it('are the fixed states and, per known image, its chain and the chain stages that can fail', () => {
    assert.deepEqual(lifeGuardStates(['android']), [
      ...LIFEGUARD_FIXED_STATES,
      'android_downloading',
      'android_extracting',
      'android_rebooting',
      'failed_android_downloading',
      'failed_android_extracting',
    ]);
    for (const state of lifeGuardStates(IMAGES)) assert.ok(isLifeGuardState(state, isKnownImage), state);
  });

  const notStates = ['bogus_state', 'free', '', 'READY', 'ready ', 'nowhere_downloading', 'failed_android_rebooting', '_downloading', 'failed_ready', 'failed_bogus'];
  for (const state of notStates) {
    it(`"${state}" is not one`, () => assert.equal(isLifeGuardState(state, isKnownImage), false));
  }

  it('reads an image called failed_… as an image first', () => {
    assert.ok(isLifeGuardState('failed_x_rebooting', (image) => image === 'failed_x'));
    assert.ok(isLifeGuardState('failed_x_downloading', (image) => image === 'x'));
  });

  it('include every state the limits name (the image chain for any image)', () => {
    // A limit that is not a state's: self-tests passed in a row while verify keeps failing.
    const counterLimits = new Set(['self_test_verify']);
    for (const key of Object.keys(DEFAULT_DEVICE_LIMITS).filter((key) => !counterLimits.has(key))) {
      const state = key.replace(/^(failed_)?image_/, '$1android_');
      assert.ok(isLifeGuardState(state, isKnownImage), `${key} → ${state}`);
    }
  });
});

/** A small deterministic PRNG, so that a failing walk can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32;
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const FAILURES: readonly PowerFailure[] = ['retry', 'retry', 'retry', 'retry', 'no_power_info', 'no_pxe_config'];

/** The second stage's next report in each state of a boot (a wrong one now and then). */
const REPORTS: Readonly<Record<string, readonly string[]>> = {
  pxe_booting: ['mobile_init_started', 'maint_mode', 'self_test_running'],
  mobile_init_started: ['android_downloading', 'maint_mode'],
  android_downloading: ['android_extracting', 'android_rebooting'],
  android_extracting: ['android_rebooting'],
  self_test_running: ['self_test_ok', 'failed_self_test'],
};

/** What the hardware, the second stage and the verifier would most likely say next in `state`. */
function likelyCommand(state: DeviceState, nowMs: number, random: () => number): DeviceCommand | undefined {
  const { seq } = state;
  const reports = REPORTS[state.state];
  if (reports !== undefined) return { type: 'ReportEvent', event: pick(random, reports), nowMs };
  if (state.state.startsWith('start_')) return { type: 'Continue', seq, pxeConfig: random() < 0.7 ? PXE : null, nowMs };
  if (state.state.endsWith('power_cycling')) return { type: 'PowerCycleResult', seq, ok: random() < 0.8, error: null, failure: pick(random, FAILURES), nowMs };
  if (['ready', 'verifying', 'pc_pinging'].includes(state.state)) return { type: 'VerifyResult', seq, ok: random() < 0.5, error: null, nowMs };
  return undefined;
}

/** An operator's or a holder's command (any but ForceState: the walks follow the machine's own moves). */
function outsideCommand(nowMs: number, random: () => number): DeviceCommand {
  return pick(random, [
    { type: 'PleaseImage', image: 'android', bootConfig: '{}', pxeConfig: random() < 0.9 ? PXE : null, nowMs },
    { type: 'PleasePowerCycle', nowMs },
    { type: 'PleaseSelfTest', nowMs },
    { type: 'PleaseStartMaintenance', nowMs },
    { type: 'AttachHolder', holder: requestHolder(7), nowMs },
    { type: 'DetachHolder', holder: requestHolder(7), reason: 'returned', nowMs },
  ] satisfies DeviceCommand[]);
}

function nextCommand(decider: ReturnType<typeof createDeviceDecider>, state: DeviceState, nowMs: number, random: () => number): DeviceCommand {
  const deadline = decider.nextDeadline!(state);
  const roll = random();
  if (deadline !== undefined && roll < 0.3) return decider.timeoutCommand!(deadline, Math.max(nowMs, deadline.atMs));
  const likely = roll < 0.85 ? likelyCommand(state, nowMs, random) : undefined;
  return likely ?? outsideCommand(nowMs, random);
}

/**
 * Every state the decider enters by itself on random walks, with retry limits a tenth of MozPool's
 * (at most 5): small enough to be passed, in the same order of size from state to state.
 */
function statesTheMachineEnters(): Set<string> {
  const limits: DeviceLimits = Object.fromEntries(
    Object.entries(DEFAULT_DEVICE_LIMITS).map(([state, limit]) => [state, { ...limit, maxCount: limit.maxCount === null ? null : Math.min(Math.ceil(limit.maxCount / 10), 5) }]),
  );
  const decider = createDeviceDecider(limits);
  const entered = new Set<string>();
  for (let seed = 1; seed <= 80; seed++) {
    const random = prng(seed);
    let nowMs = T0;
    let state = decider.initialState;
    const apply = (events: readonly DeviceEvent[]) => {
      for (const event of events) {
        if (event.type === 'DeviceStateEntered') entered.add(event.data.to);
        state = decider.evolve(state, event);
      }
    };
    const registered = decider.decide({ type: 'Register', name: NAME, inventory: inventoryOf(), nowMs }, state);
    assert.ok(registered.ok);
    apply(registered.events);
    for (let step = 0; step < 3_000; step++) {
      const command = nextCommand(decider, state, nowMs + 1_000, random);
      nowMs = command.nowMs;
      const decision = decider.decide(command, state);
      if (decision.ok) apply(decision.events);
    }
  }
  return entered;
}

describe('LifeGuard states: derived from the machine', () => {
  const entered = statesTheMachineEnters();

  it('every state the machine enters by itself is in the list', () => {
    const outside = [...entered].filter((state) => !isLifeGuardState(state, isKnownImage));
    assert.deepEqual(outside, []);
  });

  it('the walks reach every listed state but those only an operator (or a machine change still to come) enters', () => {
    const onlyForced = new Set(['locked_out', 'troubleshooting', 'failed_self_test_verify']);
    const unreached = lifeGuardStates(['android']).filter((state) => !onlyForced.has(state) && !entered.has(state));
    assert.deepEqual(unreached, []);
  });
});

describe('device: ForceState only into a LifeGuard state', () => {
  for (const to of ['bogus_state', 'free', '_downloading', 'ready; drop_downloading']) {
    it(`ready → ${to}: rejected, the device stays ready`, () => {
      readyDevice()
        .when({ type: 'ForceState', from: 'ready', to, nowMs: T0 })
        .thenRejected('unknown_state', /not a LifeGuard state/)
        .thenState(inState('ready'));
    });
  }

  it('an unknown state wins over a wrong from-state', () => {
    readyDevice().when({ type: 'ForceState', from: 'locked_out', to: 'bogus_state', nowMs: T0 }).thenRejected('unknown_state');
  });

  it('any image name will do for the image chain (the route checks the catalogue)', () => {
    readyDevice().when({ type: 'ForceState', from: 'ready', to: 'ubuntu-22.04_extracting', nowMs: T0 }).thenState(inState('ubuntu-22.04_extracting'));
    readyDevice().when({ type: 'ForceState', from: 'ready', to: 'failed_ubuntu_downloading', nowMs: T0 }).thenState(inState('failed_ubuntu_downloading'));
  });

  it('a device left in a state outside the machine can still be forced back', () => {
    const history = readyDevice();
    const { seq, counters } = history.state;
    // Read from the store as any event is: its data is trusted to be what this version writes, and is not.
    const stored = toDomainEvent(
      {
        type: 'DeviceStateEntered',
        data: { from: 'ready', to: 'bogus_state', trigger: 'forced', reason: 'forced from ready', atMs: T0, timeoutAtMs: null, counter: (counters.bogus_state ?? 0) + 1, clearedCounters: false },
      },
      DEVICE_EVENT_TYPES,
    );
    assert.ok(stored);
    history.record(stored);
    assert.equal(history.state.seq, seq + 1);
    history.when({ type: 'ForceState', from: 'bogus_state', to: 'ready', nowMs: T0 }).thenEventTypes('DeviceStateEntered').thenState(inState('ready'));
  });
});
