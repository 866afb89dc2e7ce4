import type { Decider, Decision } from '../../../domain/decider.js';
import { eventTypes } from '../../../domain/to-domain-event.js';
import { bootactionDeadline, decideAwaitBootactions, decideBootactionReported, decideTimeout } from './task-bootactions.js';
import type { TaskCommand, TaskEvent } from './task-events.js';
import { decideComplete, decideCreate, decideFail, decideStart, decideTerminate } from './task-lifecycle.js';
import { decideAddMessages, decideAddSubtasks, decideNodeFailed, decideNodeSucceeded, decideSubtaskEnded } from './task-nodes.js';
import { evolveTask, initialTaskState, isFinalTask, type TaskState } from './task-state.js';

export type { TaskCommand, TaskEvent } from './task-events.js';
export type { TaskState } from './task-state.js';

export const TASK_EVENT_TYPES = eventTypes<TaskEvent>({
  TaskCreated: true,
  TaskStarted: true,
  TaskSubtasksAdded: true,
  TaskMessagesAdded: true,
  TaskNodeSucceeded: true,
  TaskNodeFailed: true,
  TaskBootactionsAwaited: true,
  TaskBootactionReported: true,
  TaskSubtaskEnded: true,
  TaskTerminationRequested: true,
  TaskCompleted: true,
});

export function decideTask(command: TaskCommand, state: TaskState): Decision<TaskEvent> {
  switch (command.type) {
    case 'Create':
      return decideCreate(command, state);
    case 'Start':
      return decideStart(command, state);
    case 'AddSubtasks':
      return decideAddSubtasks(command, state);
    case 'AddMessages':
      return decideAddMessages(command, state);
    case 'NodeSucceeded':
      return decideNodeSucceeded(command, state);
    case 'NodeFailed':
      return decideNodeFailed(command, state);
    case 'AwaitBootactions':
      return decideAwaitBootactions(command, state);
    case 'BootactionReported':
      return decideBootactionReported(command, state);
    case 'SubtaskEnded':
      return decideSubtaskEnded(command, state);
    case 'Complete':
      return decideComplete(command, state);
    case 'Fail':
      return decideFail(command, state);
    case 'Terminate':
      return decideTerminate(command, state);
    case 'Timeout':
      return decideTimeout(command, state);
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

/** One Drydock task (stream `task-<uuid>`), a parent over a node filter or a subtask of one node. */
export const taskDecider: Decider<TaskCommand, TaskEvent, TaskState> = {
  initialState: initialTaskState,
  knownEventTypes: TASK_EVENT_TYPES,
  decide: decideTask,
  evolve: evolveTask,
  nextDeadline: bootactionDeadline,
  timeoutCommand: (deadline, nowMs) => ({ type: 'Timeout', deadline, nowMs }),
  deadlineFields: ['status', 'waits'],
  isFinal: isFinalTask,
};
