// Drydock's deployment tasks on the lab page: each task's action, status and result, and its nodes with
// their node tasks' status. Polled from labpool's read-only `/labpool/tasks/` (a labpool without Drydock
// answers 404 and the section stays hidden, as it does before the first task); the live feed asks for an
// early refresh when a task moves.

import { pollCard } from './api.js';
import { clock, dateTime, fill, h, relative } from './dom.js';

/** The tasks and how many there are in all; null when this labpool serves no task list. */
async function fetchTasks() {
  const response = await fetch('/labpool/tasks/', { headers: { accept: 'application/json' } });
  if (!response.ok) return null;
  return response.json();
}

/** A status or result as a colour class: over and well → free, failed → failed, stopped → closed, else on its way. */
function taskClass(status, result) {
  if (result === 'failure') return 'failed';
  if (status === 'terminated') return 'closed';
  if (result === 'partial_success') return 'imaging';
  if (status === 'complete') return 'free';
  return 'imaging';
}

function pill(text, cls, kind) {
  return h('span', { class: `pill pill-${cls}`, dataset: { [kind]: text } }, text);
}

function nodeRow(node) {
  return h(
    'tr',
    { dataset: { node: node.name, task: node.task_id, status: node.status, result: node.result } },
    h('td', { class: 'nowrap' }, h('a', { href: `device.html?name=${encodeURIComponent(node.name)}` }, node.name)),
    h('td', {}, pill(node.status, taskClass(node.status, node.result), 'status')),
    h('td', {}, pill(node.result, taskClass(node.status, node.result), 'result')),
    h('td', { class: 'muted task-message', title: node.message ?? '' }, node.message ?? ''),
  );
}

function nodesTable(task) {
  if (task.nodes.length === 0) return null;
  return h(
    'table',
    { class: 'table task-nodes' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['node', 'status', 'result', 'latest'].map((label) => h('th', {}, label)),
      ),
    ),
    h('tbody', {}, task.nodes.map(nodeRow)),
  );
}

function taskCard(task) {
  const cls = taskClass(task.status, task.result);
  const when = h('time', { datetime: task.created, title: `created ${dateTime(task.created)}${task.updated ? `, updated ${dateTime(task.updated)}` : ''}` }, clock(task.created));
  return h(
    'div',
    { class: `task cls-${cls}`, dataset: { task: task.task_id, action: task.action, status: task.status, result: task.result } },
    h(
      'div',
      { class: 'task-head' },
      h('strong', { class: 'task-action' }, task.action),
      pill(task.status, cls, 'status'),
      pill(task.result, cls, 'result'),
      when,
      h('span', { class: 'muted' }, relative(task.created)),
    ),
    h(
      'div',
      { class: 'task-meta muted' },
      h('span', { class: 'task-design' }, task.design_ref),
      ` · by ${task.created_by} · `,
      h('span', { class: 'mono', title: task.task_id }, task.task_id.slice(0, 8)),
    ),
    task.message && h('div', { class: 'task-message' }, task.message),
    nodesTable(task),
  );
}

function render(card, answer) {
  card.dataset.source = answer === null ? 'absent' : 'served';
  const tasks = answer?.tasks ?? [];
  card.hidden = tasks.length === 0;
  fill('tasks-count', answer === null || answer.total <= tasks.length ? '' : `newest ${tasks.length} of ${answer.total} · `);
  fill('tasks', tasks.map(taskCard));
}

export function startTasks() {
  return pollCard('tasks-card', async (card) => render(card, await fetchTasks()));
}
