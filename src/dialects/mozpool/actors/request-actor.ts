import type { ActorDefinition, CommandOutcome, Reaction } from '../../../actors/persistent-actor.js';
import type { LifeguardOutcome, RequestCommand } from '../domain/request-commands.js';
import { createRequestDecider } from '../domain/request-decider.js';
import type { RequestEvent } from '../domain/request-events.js';
import { reactToHeldDevice, requestHolder } from '../domain/request-holder.js';
import type { RequestLimits } from '../domain/request-limits.js';
import type { RequestState } from '../domain/request-state.js';
import type { EventMetadata } from '../../../store/port.js';
import { findAndAttach } from './device-finder.js';
import type { HolderReactions } from '../../../lab/holder-reactions.js';
import { reactionMetadata, runDetached } from '../../../lab/lab-context.js';
import type { MozpoolLabContext } from './mozpool-context.js';

export function createRequestActor(ctx: MozpoolLabContext, limits?: RequestLimits): ActorDefinition<RequestCommand, RequestEvent, RequestState> {
  return {
    category: 'request',
    decider: createRequestDecider(limits),
    react: (reaction) => reactToRequest(ctx, reaction),
  };
}

/** A request hears how the imaging of the device it holds went. */
export function createRequestHolderReactions(ctx: MozpoolLabContext): HolderReactions<RequestCommand> {
  return {
    kind: 'mozpool_request',
    react: reactToHeldDevice,
    deliver: (holderId, command, cause) => ctx.kinds.requests.ask(holderId, command, cause),
  };
}

function reactToRequest(ctx: MozpoolLabContext, { id, events, state, metadata }: Reaction<RequestEvent, RequestState>): void {
  const cause = reactionMetadata('mozpool', metadata);
  for (const event of events) {
    if (event.type !== 'RequestDeviceReleased') continue;
    const command = { type: 'DetachHolder', holder: requestHolder(Number(id)), reason: event.data.reason, nowMs: ctx.nowMs() } as const;
    runDetached(ctx, `request ${id} release`, () => ctx.kinds.devices.ask(event.data.device, command, cause));
  }
  if (!events.some((event) => event.type === 'RequestStateEntered')) return;
  const send = (command: RequestCommand) => ctx.kinds.requests.ask(id, command, cause);
  if (state.state === 'finding_device') runDetached(ctx, `request ${id} finding`, () => findDevice(ctx, state, send, cause));
  if (state.state === 'contacting_lifeguard') runDetached(ctx, `request ${id} contacting`, () => contactLifeguard(ctx, state, send, cause));
}

type Send = (command: RequestCommand) => Promise<CommandOutcome<RequestEvent, RequestState>>;

async function findDevice(ctx: MozpoolLabContext, state: RequestState, send: Send, cause: EventMetadata): Promise<void> {
  const requestId = state.id ?? 0;
  const criteria = { requestId, requestedDevice: state.requestedDevice, environment: state.environment, image: state.image, bootConfig: state.bootConfig };
  const outcome = await findAndAttach(ctx, criteria, cause);
  const recorded = await send({ type: 'FindResult', seq: state.seq, outcome, nowMs: ctx.nowMs() });
  // The request moved on while this find ran (its finding timeout found another device, or it closed):
  // give back the device attached for it, unless that is the one it holds.
  if (outcome.kind === 'attached' && !recorded.ok && recorded.state.assignedDevice !== outcome.device) {
    const detach = { type: 'DetachHolder', holder: requestHolder(requestId), reason: `request ${requestId} no longer needs it`, nowMs: ctx.nowMs() } as const;
    await ctx.kinds.devices.ask(outcome.device, detach, cause);
  }
}

/** Asks the device to image itself, or just to power-cycle when it already runs the image (reusable, same boot config). */
async function contactLifeguard(ctx: MozpoolLabContext, state: RequestState, send: Send, cause: EventMetadata): Promise<void> {
  const { outcome, detail } = await askDevice(ctx, state, cause);
  await send({ type: 'LifeguardResult', seq: state.seq, outcome, detail, nowMs: ctx.nowMs() });
}

async function askDevice(ctx: MozpoolLabContext, state: RequestState, cause: EventMetadata): Promise<{ outcome: LifeguardOutcome; detail: string }> {
  const device = state.assignedDevice === null ? undefined : ctx.readModels.devices.get(state.assignedDevice);
  const image = ctx.readModels.images.get(state.image);
  if (device === undefined) return { outcome: 'not_ready', detail: `device ${state.assignedDevice} is unknown` };
  if (image === undefined) return { outcome: 'bad_image', detail: `image ${state.image} is unknown` };
  const reuse = image.canReuse && device.image === image.name && device.bootConfig === state.bootConfig;
  const pxeConfig = ctx.readModels.images.pxeConfigFor(image.name, device.hardwareType)?.name;
  if (!reuse && pxeConfig === undefined) return { outcome: 'bad_image', detail: `no PXE config for ${image.name} on ${device.hardwareType}` };
  const nowMs = ctx.nowMs();
  const command = reuse ? ({ type: 'PleasePowerCycle', nowMs } as const) : ({ type: 'PleaseImage', image: image.name, bootConfig: state.bootConfig, pxeConfig: pxeConfig ?? null, nowMs } as const);
  try {
    const result = await ctx.kinds.devices.ask(device.name, command, cause);
    if (result.ok) return { outcome: 'accepted', detail: reuse ? `power cycling ${device.name}` : `imaging ${device.name} with ${image.name}` };
    return { outcome: 'not_ready', detail: result.rejection.message };
  } catch (error) {
    return { outcome: 'unreachable', detail: error instanceof Error ? error.message : String(error) };
  }
}
