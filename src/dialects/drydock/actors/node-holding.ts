import { describeHolder } from '../../../domain/holders/holder.js';
import type { EventMetadata } from '../../../store/port.js';
import { deploymentHolder, nodeTaskOf } from '../domain/deployment-holder.js';
import type { DrydockContext } from './drydock-context.js';

/** A node taken by a node task: the node task that held it before (a deploy it takes over), if any. */
export type Taken = { readonly ok: true; readonly previousNodeTask: string | null } | { readonly ok: false; readonly message: string };

/**
 * Takes `node` for `nodeTaskId`: a free node is attached, a node another node task holds (deployed
 * earlier) is handed over in one step, a node some other family holds is refused. Idempotent: a node
 * the task holds already is taken. Only this server's nodes: only it runs their actors.
 */
export async function takeNode(ctx: DrydockContext, node: string, nodeTaskId: string, cause: EventMetadata): Promise<Taken> {
  const view = ctx.readModels.devices.get(node);
  if (view === undefined) return { ok: false, message: `node ${node} is not in the lab's inventory` };
  if (view.imagingServer !== ctx.serverId) return { ok: false, message: `node ${node} belongs to server ${view.imagingServer}: run the task there` };
  const to = deploymentHolder(nodeTaskId);
  const current = await ctx.kinds.devices.read(node);
  const holder = current.state.holder;
  const previous = nodeTaskOf(holder);
  if (previous === nodeTaskId) return { ok: true, previousNodeTask: null };
  const nowMs = ctx.nowMs();
  const command =
    previous === null
      ? ({ type: 'AttachHolder', holder: to, nowMs } as const)
      : ({ type: 'TransferHolder', from: deploymentHolder(previous), to, reason: `taken over by task ${nodeTaskId}`, nowMs } as const);
  const outcome = await ctx.kinds.devices.ask(node, command, cause);
  if (outcome.ok) return { ok: true, previousNodeTask: previous };
  const now = outcome.state.holder;
  const who = now === null ? outcome.rejection.message : `it is held by ${describeHolder(now)}`;
  return { ok: false, message: `node ${node} cannot be taken: ${who}` };
}

/** Gives `node` back to the lab; a no-op when the task no longer holds it. */
export async function releaseNode(ctx: DrydockContext, node: string, nodeTaskId: string, reason: string, cause: EventMetadata): Promise<void> {
  await ctx.kinds.devices.ask(node, { type: 'DetachHolder', holder: deploymentHolder(nodeTaskId), reason, nowMs: ctx.nowMs() }, cause);
}
