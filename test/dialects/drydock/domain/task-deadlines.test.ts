import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { taskDecider, type TaskCommand, type TaskState } from '../../../../src/dialects/drydock/domain/task-decider.js';
import { createDeadlineIndex } from '../../../../src/projections/deadline-index.js';
import type { Json } from '../../../../src/store/port.js';

const T0 = Date.UTC(2030, 0, 1);
const NODES = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8'];

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32;
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** A random next command for a task: waits, reports, timeouts, node results and, rarely, its end. */
function walk(state: TaskState, nowMs: number, random: () => number): TaskCommand {
  const node = pick(random, NODES);
  const actionId = `${node}-${pick(random, ['a', 'b'])}`;
  const deadline = taskDecider.nextDeadline!(state);
  if (deadline !== undefined && random() < 0.3) return { type: 'Timeout', deadline, nowMs: Math.max(nowMs, deadline.atMs) };
  if (random() < 0.01)
    return pick(random, [
      { type: 'Complete', nowMs },
      { type: 'Terminate', by: 'x', nowMs },
    ] as const);
  const actions = [
    { actionId: `${node}-a`, name: 'a' },
    { actionId: `${node}-b`, name: 'b' },
  ];
  return pick<TaskCommand>(random, [
    { type: 'AwaitBootactions', node, actions, untilMs: nowMs + Math.floor(random() * 600_000), nowMs },
    { type: 'AwaitBootactions', node, actions, untilMs: nowMs + Math.floor(random() * 600_000), nowMs },
    { type: 'BootactionReported', node, actionId, actionName: 'x', status: pick(random, ['success', 'failure', null] as const), details: [], nowMs },
    { type: 'BootactionReported', node, actionId, actionName: 'x', status: 'success', details: [{ message: 'm', error: false }], nowMs },
    { type: 'NodeFailed', node, message: 'broken', nowMs },
  ]);
}

const create = (id: number, nowMs: number): TaskCommand => ({
  type: 'Create',
  taskId: `t${id}`,
  action: 'deploy_nodes',
  designRef: 'd',
  server: 's',
  nodeFilter: null,
  parentTaskId: null,
  node: null,
  createdBy: 'u',
  nowMs,
});

describe('task deadlines', () => {
  for (const seed of [1, 2, 3]) {
    it(`the deadline index folds the same bootaction deadlines as the decider (random walk, seed ${seed})`, () => {
      const random = prng(seed);
      const index = createDeadlineIndex('task', taskDecider);
      const states = new Map<number, { state: TaskState; revision: number }>();
      let nowMs = T0;
      let position = 0n;
      let deadlinesSeen = 0;
      for (let step = 0; step < 2_000; step++) {
        const id = Math.floor(step / 200) * 4 + Math.floor(random() * 4);
        const actor = states.get(id) ?? { state: taskDecider.initialState, revision: -1 };
        nowMs += Math.floor(random() * 60_000);
        const command = actor.revision < 0 ? create(id, nowMs) : actor.revision === 0 ? ({ type: 'Start', nowMs } as const) : walk(actor.state, nowMs, random);
        const decision = taskDecider.decide(command, actor.state);
        if (!decision.ok) continue;
        for (const event of decision.events) {
          actor.state = taskDecider.evolve(actor.state, event);
          actor.revision++;
          index.apply({
            id: `e${position}`,
            stream: `task-${id}`,
            revision: actor.revision,
            position: ++position,
            type: event.type,
            data: JSON.parse(JSON.stringify(event.data)) as Json,
            metadata: {},
            createdAtMs: nowMs,
          });
        }
        states.set(id, actor);
        for (const [other, { state }] of states) {
          const expected = taskDecider.nextDeadline!(state);
          if (expected !== undefined) deadlinesSeen++;
          assert.deepEqual(index.deadlineOf(String(other)), expected, `task-${other} after step ${step} (seed ${seed})`);
        }
      }
      assert.ok(deadlinesSeen > 500, `${deadlinesSeen} deadlines seen`);
    });
  }
});
