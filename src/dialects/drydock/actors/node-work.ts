import type { DeviceCommand } from '../../../domain/device/device-commands.js';
import type { EventMetadata } from '../../../store/port.js';
import { bootactionsFor, filterableNode, imageFor } from '../domain/design-nodes.js';
import { nodeTaskOf } from '../domain/deployment-holder.js';
import type { DrydockContext, NodeTask } from './drydock-context.js';
import { releaseNode, takeNode } from './node-holding.js';
import { failNode, noteNode, succeedNode } from './node-results.js';
import type { BootactionView } from '../projections/bootaction-views.js';

/**
 * The work of one node task, by its action. Each step is idempotent, so the recovery at start runs it
 * again for a task a crash cut short. What the device does next comes back through the holder
 * reactions (`nodeDeviceDone`, `nodeDeviceFailed`).
 */
export async function startNodeWork(ctx: DrydockContext, task: NodeTask, cause: EventMetadata): Promise<void> {
  switch (task.action) {
    case 'deploy_nodes':
      return deployNode(ctx, task, cause);
    case 'destroy_nodes':
      return operateNode(ctx, task, cause, 'take', () => eraseCommand(ctx, task));
    case 'verify_nodes':
      return operateNode(ctx, task, cause, 'borrow', () => ({ type: 'PleaseSelfTest', nowMs: ctx.nowMs() }));
    case 'prepare_nodes':
      return operateNode(ctx, task, cause, 'borrow', () => ({ type: 'PleasePowerCycle', nowMs: ctx.nowMs() }));
    default:
      return relabelNode(ctx, task, cause);
  }
}

async function deployNode(ctx: DrydockContext, task: NodeTask, cause: EventMetadata): Promise<void> {
  const device = ctx.readModels.devices.get(task.node);
  if (device === undefined) return failNode(ctx, task, `node ${task.node} is not in the lab's inventory`, cause);
  const loaded = await ctx.designs.load(task.designRef);
  if (!loaded.ok) return failNode(ctx, task, `design ${task.designRef} is not valid: ${loaded.messages.map((m) => m.message).join('; ')}`, cause);
  const node = filterableNode(device);
  const image = imageFor(loaded.design, node, device.image);
  // `labpool:inventory` keeps each node's image, and a node never imaged has none.
  if (image === '') return failNode(ctx, task, `node ${task.node} has no image yet and design ${task.designRef} names none for it: use a design with a default_image`, cause);
  if (ctx.readModels.images.get(image) === undefined) return failNode(ctx, task, `image ${image} is not known to the lab`, cause);
  const taken = await takeNode(ctx, task.node, task.id, cause);
  if (!taken.ok) return failNode(ctx, task, taken.message, cause);
  if (taken.previousNodeTask !== null && isDeployedWith(ctx, taken.previousNodeTask, task.designRef, image)) {
    return succeedNode(ctx, task, `node ${task.node} is deployed with ${task.designRef} (image ${image}) already: not imaged again`, cause);
  }
  const issued = await ctx.bootactions.issue({
    taskId: task.id,
    node: { hostname: task.node, fqdn: device.fqdn, mac: device.macAddress, image, rack: node.rack },
    bootactions: bootactionsFor(loaded.design, node),
  });
  // Without bootactions nothing was issued: the node's latest issue is an earlier deploy's.
  const bootConfig = JSON.stringify(issued.actions.length > 0 ? (ctx.bootactions.bootConfigOf(task.node) ?? {}) : {});
  const pxeConfig = ctx.readModels.images.pxeConfigFor(image, device.hardwareType)?.name;
  // The device would only log that it cannot image: the node task would wait for it forever.
  if (pxeConfig === undefined) return failNode(ctx, task, `node ${task.node} cannot be imaged: no active PXE config for ${image} on ${device.hardwareType}`, cause);
  const outcome = await ctx.kinds.devices.ask(task.node, { type: 'PleaseImage', image, bootConfig, pxeConfig, nowMs: ctx.nowMs() }, cause);
  if (!outcome.ok) return failNode(ctx, task, `node ${task.node} refused to image: ${outcome.rejection.message}`, cause);
  await noteNode(ctx, task, `imaging ${task.node} with ${image} (${issued.actions.length} bootaction(s))`, cause);
}

/** The node task that deployed a node was a deploy of `designRef` and the node runs its image, ready. */
function isDeployedWith(ctx: DrydockContext, nodeTaskId: string, designRef: string, image: string): boolean {
  const previous = ctx.tasks.get(nodeTaskId);
  const device = previous?.node === null || previous === undefined ? undefined : ctx.readModels.devices.get(previous.node);
  return previous?.action === 'deploy_nodes' && previous.designRef === designRef && previous.result.status === 'success' && device?.state === 'ready' && device.image === image;
}

/**
 * Runs one device command on a node: `take` holds it for the task (destroy), `borrow` uses a free
 * node for the task's time or a node Drydock deployed as it is (verify, prepare).
 */
async function operateNode(ctx: DrydockContext, task: NodeTask, cause: EventMetadata, mode: 'take' | 'borrow', command: () => DeviceCommand | string): Promise<void> {
  const device = ctx.readModels.devices.get(task.node);
  if (device === undefined) return failNode(ctx, task, `node ${task.node} is not in the lab's inventory`, cause);
  const deployed = nodeTaskOf(device.holder) !== null;
  // Before taking it: a node the command cannot run on stays with its holder.
  const next = command();
  if (typeof next === 'string') return failNode(ctx, task, next, cause);
  if (mode === 'take' || !deployed) {
    const taken = await takeNode(ctx, task.node, task.id, cause);
    if (!taken.ok) return failNode(ctx, task, taken.message, cause);
  }
  const outcome = await ctx.kinds.devices.ask(task.node, next, cause);
  if (!outcome.ok) return failNode(ctx, task, `node ${task.node} refused: ${outcome.rejection.message}`, cause);
  await noteNode(ctx, task, `${describeOperation(task.action)} ${task.node}`, cause);
}

function eraseCommand(ctx: DrydockContext, task: NodeTask): DeviceCommand | string {
  const image = ctx.settings.eraseImage;
  const device = ctx.readModels.devices.get(task.node);
  if (ctx.readModels.images.get(image) === undefined || device === undefined) return `the erase image ${image} is not known to the lab (drydock.eraseImage)`;
  const pxeConfig = ctx.readModels.images.pxeConfigFor(image, device.hardwareType)?.name;
  if (pxeConfig === undefined) return `node ${task.node} cannot be erased: no active PXE config for ${image} on ${device.hardwareType}`;
  return { type: 'PleaseImage', image, bootConfig: '{}', pxeConfig, nowMs: ctx.nowMs() };
}

function describeOperation(action: string): string {
  if (action === 'destroy_nodes') return 'erasing';
  if (action === 'verify_nodes') return 'self-testing';
  return 'power cycling';
}

/** Labels live in the inventory: relabelling reports them; nothing on the node changes. */
async function relabelNode(ctx: DrydockContext, task: NodeTask, cause: EventMetadata): Promise<void> {
  const device = ctx.readModels.devices.get(task.node);
  if (device === undefined) return failNode(ctx, task, `node ${task.node} is not in the lab's inventory`, cause);
  const labels = filterableNode(device).labels;
  const text = Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
  return succeedNode(ctx, task, `node ${task.node} labels: ${text === '' ? 'none' : text}`, cause);
}

/** The device ended the work the node task asked of it. */
export async function nodeDeviceDone(ctx: DrydockContext, task: NodeTask, cause: EventMetadata): Promise<void> {
  if (task.action === 'destroy_nodes') {
    await releaseNode(ctx, task.node, task.id, 'erased by destroy_nodes', cause);
    return succeedNode(ctx, task, `node ${task.node} erased and released`, cause);
  }
  if (task.action !== 'deploy_nodes') {
    if (ctx.readModels.devices.get(task.node)?.holder?.id === task.id) await releaseNode(ctx, task.node, task.id, `${task.action} done`, cause);
    return succeedNode(ctx, task, `${describeOperation(task.action)} ${task.node}: done`, cause);
  }
  const signaling = issuedTo(ctx, task).filter((action) => action.signaling);
  if (signaling.length === 0) return succeedNode(ctx, task, `node ${task.node} deployed`, cause);
  const untilMs = ctx.nowMs() + ctx.settings.bootactionTimeoutMs;
  const actions = signaling.map((action) => ({ actionId: action.actionId, name: action.actionName }));
  await noteNode(
    ctx,
    task,
    `node ${task.node} imaged; waiting up to ${Math.round(ctx.settings.bootactionTimeoutMs / 1000)} s for bootaction(s) ${actions.map((action) => action.name).join(', ')}`,
    cause,
  );
  await ctx.kinds.tasks.ask(task.id, { type: 'AwaitBootactions', node: task.node, actions, untilMs, nowMs: ctx.nowMs() }, cause);
}

/** The bootactions the node task issued to its node; none when the node's latest issue is another task's. */
export function issuedTo(ctx: DrydockContext, task: NodeTask): readonly BootactionView[] {
  const deploy = ctx.bootactionViews.latestDeploy(task.node);
  return deploy?.taskId === task.id ? deploy.actions : [];
}

/** The device failed the work: the node fails; a node taken only for this task goes back as it is. */
export async function nodeDeviceFailed(ctx: DrydockContext, task: NodeTask, state: string, cause: EventMetadata): Promise<void> {
  await releaseNode(ctx, task.node, task.id, `${task.action} failed`, cause);
  await failNode(ctx, task, `node ${task.node} failed: its device entered ${state}`, cause);
}
