import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PoolConfig } from '../../../../src/dialects/vmpooler/domain/pool-config.js';
import { planPool, type MemberPhase, type PoolMember, type PoolPlanInput } from '../../../../src/dialects/vmpooler/domain/pool-plan.js';

const T0 = Date.UTC(2030, 0, 1);
const MIN = 60_000;
const pool: PoolConfig = {
  name: 'centos',
  alias: [],
  image: 'centos-7',
  bootConfig: '{}',
  hardwareType: null,
  environment: null,
  size: 3,
  readyTtlMin: 60,
  domain: null,
  reimageConcurrency: 2,
};
const member = (device: string, phase: MemberPhase, sinceMs = T0, image = 'centos-7'): PoolMember => ({ device, phase, sinceMs, image });
/** The planner's input from a plain member list, as the pool views would give it (ready ones in the order they became ready). */
const plan = ({ members = [], ...overrides }: Partial<Omit<PoolPlanInput, 'queues'>> & { readonly members?: readonly PoolMember[] }) => {
  const of = (phase: MemberPhase) => members.filter((member) => member.phase === phase);
  const ready = [...of('ready')].sort((a, b) => a.sinceMs - b.sinceMs);
  const queues = {
    waiting: of('waiting').map((member) => member.device),
    imaging: of('imaging').length,
    completed: of('completed').map((member) => member.device),
    failed: of('failed').map((member) => member.device),
    readyCount: ready.length,
    readyWithImage: (image: string) => ready.filter((member) => member.image === image).length,
    readyOldestFirst: () => ready,
  };
  return planPool({ pool, queues, candidates: [], resetAtMs: 0, nowMs: T0, ...overrides });
};

describe('pool plan', () => {
  it('fills an empty pool from the candidates, imaging as many as the concurrency allows', () => {
    assert.deepEqual(plan({ candidates: ['d1', 'd2', 'd3', 'd4'] }), [
      { type: 'take', device: 'd1' },
      { type: 'take', device: 'd2' },
      { type: 'take', device: 'd3' },
      { type: 'image', device: 'd1', why: 'joins pool centos' },
      { type: 'image', device: 'd2', why: 'joins pool centos' },
    ]);
  });

  it('does nothing when the pool is full and nothing is stale', () => {
    assert.deepEqual(plan({ members: [member('a', 'ready'), member('b', 'imaging'), member('c', 'ready')], candidates: ['d1'] }), []);
  });

  it('counts returned devices toward the size and images them within the concurrency left', () => {
    const actions = plan({ members: [member('a', 'imaging'), member('b', 'completed'), member('c', 'completed')], candidates: ['d1'] });
    assert.deepEqual(actions, [{ type: 'image', device: 'b', why: 'back from a vm' }]);
  });

  it('lets a failed device go and takes another', () => {
    const actions = plan({ members: [member('a', 'failed'), member('b', 'ready'), member('c', 'ready')], candidates: ['d1'] });
    assert.deepEqual(actions, [
      { type: 'release', device: 'a', why: 'its imaging failed' },
      { type: 'take', device: 'd1' },
      { type: 'image', device: 'd1', why: 'joins pool centos' },
    ]);
  });

  it('re-images ready devices that are stale: older than ready_ttl, another image, or ready before a reset', () => {
    const members = [member('old', 'ready', T0 - 60 * MIN), member('other', 'ready', T0, 'centos-6'), member('fresh', 'ready', T0 - 59 * MIN)];
    assert.deepEqual(
      plan({ members }).map((action) => [action.type, action.device]),
      [
        ['image', 'old'],
        ['image', 'other'],
      ],
    );
    assert.deepEqual(plan({ members: [member('a', 'ready', T0 - MIN)], resetAtMs: T0, pool: { ...pool, size: 1 } }), [{ type: 'image', device: 'a', why: 'the pool was reset' }]);
  });

  it('releases the surplus when the size goes down: waiting, then the oldest ready, then returned; never one being imaged', () => {
    const members = [member('r-new', 'ready', T0), member('r-old', 'ready', T0 - MIN), member('img', 'imaging'), member('back', 'completed'), member('new', 'waiting')];
    const actions = plan({ members, pool: { ...pool, size: 1, reimageConcurrency: 1 } });
    assert.deepEqual(
      actions.map((action) => [action.type, action.device]),
      [
        ['release', 'new'],
        ['release', 'r-old'],
        ['release', 'r-new'],
        ['release', 'back'],
      ],
    );
  });

  it('keeps a returned device to image it again when the pool is full, letting the oldest ready one go', () => {
    const actions = plan({ members: [member('r1', 'ready', T0 - MIN), member('r2', 'ready', T0), member('r3', 'ready', T0), member('back', 'completed')] });
    assert.deepEqual(actions, [
      { type: 'release', device: 'r1', why: 'pool centos keeps 3' },
      { type: 'image', device: 'back', why: 'back from a vm' },
    ]);
  });

  it('reads the ready devices only as far as it must: a full pool of 10,000 fresh ones costs three reads', () => {
    let reads = 0;
    function* oldestFirst() {
      for (let i = 0; i < 10_000; i++) {
        reads++;
        yield member(`r${i}`, 'ready', T0 - 30 * MIN + i);
      }
    }
    const queues = { waiting: [], imaging: 0, completed: ['back'], failed: [], readyCount: 10_000, readyWithImage: () => 10_000, readyOldestFirst: oldestFirst };
    const actions = planPool({ pool: { ...pool, size: 10_000 }, queues, candidates: [], resetAtMs: 0, nowMs: T0 });
    assert.deepEqual(
      actions.map((action) => [action.type, action.device]),
      [
        ['release', 'r0'],
        ['image', 'back'],
      ],
    );
    // One pass takes the oldest to release, a second finds the next one fresh.
    assert.ok(reads <= 3, `${reads} reads`);
  });

  it('takes nothing it cannot find: a short pool with no candidates waits', () => {
    assert.deepEqual(plan({ members: [member('a', 'ready')] }), []);
  });
});
