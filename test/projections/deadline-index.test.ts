import { requestHolder } from '../../src/dialects/mozpool/domain/request-holder.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Decider, DomainEvent } from '../../src/domain/decider.js';
import type { DeviceCommand } from '../../src/domain/device/device-commands.js';
import { createDeviceDecider } from '../../src/domain/device/device-decider.js';
import type { RequestCommand } from '../../src/dialects/mozpool/domain/request-commands.js';
import { createRequestDecider } from '../../src/dialects/mozpool/domain/request-decider.js';
import { createDeadlineIndex } from '../../src/projections/deadline-index.js';
import type { Json, RecordedEvent } from '../../src/store/port.js';

const T0 = Date.UTC(2024, 5, 1, 12, 0, 0);

/** A small deterministic PRNG, so that a failing walk can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32;
}

type Walk<Command, State> = (state: State, nowMs: number, random: () => number) => Command;

/**
 * Random walks of `streams` actors, interleaved in one log: after every decision, the index's
 * deadline of each actor must be the decider's own nextDeadline of its fully folded state.
 */
function checkWalks<Command, Event extends DomainEvent, State>(
  category: string,
  decider: Decider<Command, Event, State>,
  first: (id: number, nowMs: number) => Command,
  next: Walk<Command, State>,
  seed: number,
): { decisions: number; deadlinesSeen: number } {
  const random = prng(seed);
  const index = createDeadlineIndex(category, decider);
  const states = new Map<number, { state: State; revision: number }>();
  let position = 0n;
  let nowMs = T0;
  let decisions = 0;
  let deadlinesSeen = 0;
  for (let step = 0; step < 3_000; step++) {
    // Five actors at a time, a fresh five every 300 steps (requests end); the old ones stay checked.
    const id = Math.floor(step / 300) * 5 + Math.floor(random() * 5);
    const actor = states.get(id) ?? { state: decider.initialState, revision: -1 };
    nowMs += Math.floor(random() * 120_000);
    const command = actor.revision < 0 ? first(id, nowMs) : next(actor.state, nowMs, random);
    const decision = decider.decide(command, actor.state);
    if (!decision.ok) continue;
    decisions++;
    for (const event of decision.events) {
      actor.state = decider.evolve(actor.state, event);
      actor.revision++;
      const recorded: RecordedEvent = {
        id: `e${position}`,
        stream: `${category}-${id}`,
        revision: actor.revision,
        position: ++position,
        type: event.type,
        data: JSON.parse(JSON.stringify(event.data)) as Json,
        metadata: {},
        createdAtMs: nowMs,
      };
      index.apply(recorded);
    }
    states.set(id, actor);
    for (const [other, { state }] of states) {
      const expected = decider.nextDeadline!(state);
      if (expected !== undefined) deadlinesSeen++;
      assert.deepEqual(index.deadlineOf(String(other)), expected, `${category}-${other} after step ${step} (seed ${seed})`);
    }
  }
  assert.equal(index.deadlineOf('never-seen'), undefined);
  return { decisions, deadlinesSeen };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const DEVICE_EVENTS = ['mobile_init_started', 'ubuntu_downloading', 'ubuntu_extracting', 'ubuntu_rebooting', 'nonsense'];

const deviceWalk: Walk<DeviceCommand, ReturnType<typeof createDeviceDecider>['initialState']> = (state, nowMs, random) => {
  const deadline = createDeviceDecider().nextDeadline!(state);
  const options: DeviceCommand[] = [
    { type: 'Continue', seq: state.seq, pxeConfig: 'pxe-1', nowMs },
    { type: 'PowerCycleResult', seq: state.seq, ok: random() < 0.8, error: null, failure: 'retry', nowMs },
    { type: 'VerifyResult', seq: state.seq, ok: random() < 0.8, error: null, nowMs },
    { type: 'ReportEvent', event: pick(random, DEVICE_EVENTS), nowMs },
    { type: 'PleaseImage', image: 'ubuntu', bootConfig: '{}', pxeConfig: 'pxe-1', nowMs },
    { type: 'PleasePowerCycle', nowMs },
    { type: 'PleaseSelfTest', nowMs },
    { type: 'AttachHolder', holder: requestHolder(7), nowMs },
    { type: 'DetachHolder', holder: requestHolder(7), reason: 'returned', nowMs },
    { type: 'ForceState', from: state.state, to: pick(random, ['ready', 'locked_out', 'pxe_booting', 'failed_verifying', 'maintenance_mode']), nowMs },
    { type: 'SetComments', comments: 'c', nowMs },
    { type: 'Retire', nowMs },
    { type: 'Register', name: 'dev', inventory: inventory(), nowMs },
  ];
  // Timeouts are the commonest way forward: half the steps fire the current deadline.
  if (deadline !== undefined && random() < 0.5) return { type: 'Timeout', deadline, nowMs: Math.max(nowMs, deadline.atMs) };
  return pick(random, options);
};

function inventory() {
  return {
    fqdn: 'dev.lab.example',
    inventoryId: 1,
    macAddress: '00:11:22:33:44:55',
    imagingServer: 'lab1:8010',
    relayInfo: 'pdu1/1',
    hardwareType: 'panda',
    environment: 'prod',
    tags: [],
    labels: {},
    rack: null,
    rackLabels: {},
  };
}

const requestWalk: Walk<RequestCommand, ReturnType<typeof createRequestDecider>['initialState']> = (state, nowMs, random) => {
  const deadline = createRequestDecider().nextDeadline!(state);
  const device = state.assignedDevice ?? 'dev-1';
  const options: RequestCommand[] = [
    { type: 'FindResult', seq: state.seq, outcome: pick(random, [{ kind: 'attached', device: 'dev-2' }, { kind: 'none_free' }, { kind: 'busy' }] as const), nowMs },
    { type: 'LifeguardResult', seq: state.seq, outcome: pick(random, ['accepted', 'not_ready', 'unreachable', 'bad_image'] as const), detail: '', nowMs },
    { type: 'ImagingResult', device, result: pick(random, ['complete', 'complete', 'failed-bad-image', 'failed-bad-device'] as const), nowMs },
    { type: 'Renew', durationS: 600 + Math.floor(random() * 3600), nowMs },
  ];
  // Returns are rare, or the walk would spend itself on closed requests.
  if (random() < 0.02) return { type: 'Return', nowMs };
  if (deadline !== undefined && random() < 0.4) return { type: 'Timeout', deadline, nowMs: Math.max(nowMs, deadline.atMs) };
  return pick(random, options);
};

describe('deadline index', () => {
  for (const seed of [1, 2, 3]) {
    it(`knows every device's next deadline as the device decider does (random walk, seed ${seed})`, () => {
      const seen = checkWalks('device', createDeviceDecider(), (id, nowMs): DeviceCommand => ({ type: 'Register', name: `dev-${id}`, inventory: inventory(), nowMs }), deviceWalk, seed);
      // The walk must really wander: many decisions, and deadlines present as well as absent.
      assert.ok(seen.decisions > 1_000, `${seen.decisions} decisions`);
      assert.ok(seen.deadlinesSeen > 1_000, `${seen.deadlinesSeen} deadlines`);
    });

    it(`knows every request's next deadline as the request decider does (random walk, seed ${seed})`, () => {
      const seen = checkWalks(
        'request',
        createRequestDecider(),
        (id, nowMs): RequestCommand => ({
          type: 'Open',
          id,
          requestedDevice: 'any',
          assignee: 'me',
          image: 'ubuntu',
          bootConfig: '{}',
          environment: 'any',
          imagingServer: 'lab1:8010',
          durationS: 3600,
          assignedDevice: 'dev-1',
          nowMs,
        }),
        requestWalk,
        seed,
      );
      assert.ok(seen.decisions > 300, `${seen.decisions} decisions`);
      assert.ok(seen.deadlinesSeen > 300, `${seen.deadlinesSeen} deadlines`);
    });
  }

  it('forgets everything and stops folding once released', () => {
    const index = createDeadlineIndex('request', createRequestDecider());
    index.release();
    index.apply({ id: 'e1', stream: 'request-1', revision: 0, position: 1n, type: 'RequestOpened', data: {}, metadata: {}, createdAtMs: T0 });
    assert.throws(() => index.deadlineOf('1'), /released/);
  });

  it('refuses a decider that does not say which fields its deadlines read', () => {
    const { deadlineFields: _fields, ...withoutFields } = createDeviceDecider();
    assert.throws(() => createDeadlineIndex('device', withoutFields), /no deadlineFields/);
  });
});
