import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { TaskReadModel } from './projections/task-views.js';

export type DrydockMetrics = {
  /** A task ended: its action, result, and (for a node task) how long its node took. */
  taskEnded(action: string, result: string, nodeTask: boolean, durationMs: number): void;
};

/**
 * Drydock's metrics: tasks by status (read from the task views at scrape time), tasks ended by action
 * and result, and node deploy durations.
 */
export function registerDrydockMetrics(registry: Registry, tasks: TaskReadModel): DrydockMetrics {
  new Gauge({
    name: 'labpool_drydock_tasks',
    help: 'Drydock tasks (parents, not node tasks) by status',
    labelNames: ['status'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const counts = new Map<string, number>();
      for (const task of tasks.list()) if (task.parentTaskId === null) counts.set(task.status, (counts.get(task.status) ?? 0) + 1);
      for (const [status, count] of counts) this.set({ status }, count);
    },
  });
  const ended = new Counter({
    name: 'labpool_drydock_tasks_ended_total',
    help: 'Drydock tasks this server saw end, by action, result and level (task or node)',
    labelNames: ['action', 'result', 'level'] as const,
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'labpool_drydock_node_task_seconds',
    help: 'How long a node task took from creation to its end, by action (deploy_nodes: the node deploy)',
    labelNames: ['action'] as const,
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1200, 3600],
    registers: [registry],
  });
  return {
    taskEnded(action, result, nodeTask, durationMs) {
      ended.inc({ action, result, level: nodeTask ? 'node' : 'task' });
      if (nodeTask) durations.observe({ action }, durationMs / 1000);
    },
  };
}
