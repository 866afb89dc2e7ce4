import type { DeviceCommand } from '../../../domain/device/device-commands.js';
import type { RequestCommand } from '../domain/request-commands.js';
import { requestHolder, requestIdOf } from '../domain/request-holder.js';
import type { LabDevice } from '../../../projections/read-models.js';
import type { RequestView } from '../projections/mozpool-read-models.js';
import type { MozpoolLabContext } from './mozpool-context.js';
import { isInRecoveryScope, type RecoveryScope } from '../../../lab/handover.js';
import { PeerCallError } from '../../../lab/peers/peer-client.js';

/** What the recovery at start found left undone, and finished. */
export type HolderRecovery = { readonly detached: number; readonly notified: number };

type Step = { readonly to: 'device'; readonly device: string; readonly command: DeviceCommand } | { readonly to: 'request'; readonly request: number; readonly command: RequestCommand };

const METADATA = { actor: 'recovery' };

/**
 * Reactions run after their events are stored; a crash in between loses them. At start, before any
 * actor runs, the read models tell what they left undone between this server's devices and the
 * requests holding them (and this server's requests and the other servers' devices they hold), and
 * this sends it again (each command is idempotent):
 * - a device attached to a request that never opened (the crash came between attach and open), that
 *   is closed or failed (between the request's release and the device's detach), or that holds
 *   another device or none (between attach and the request's find result): detach it;
 * - a request waiting for its device's imaging whose device already finished (ready) or failed:
 *   tell it the result.
 */
export async function recoverHolders(ctx: MozpoolLabContext, scope?: RecoveryScope): Promise<HolderRecovery> {
  const steps = ctx.readModels.devices
    .list()
    .filter((device) => device.holder?.kind === 'mozpool_request' && isOurs(ctx, device) && isInRecoveryScope(scope, device.name))
    .flatMap((device) => stepsFor(ctx, device, scope === undefined ? 'at start' : 'after a handover'));
  await Promise.all(steps.map((step) => send(ctx, step)));
  return { detached: steps.filter((step) => step.to === 'device').length, notified: steps.filter((step) => step.to === 'request').length };
}

/**
 * This server's device, or another server's held by a request of this server: either end may have
 * missed the other's reaction (the owner of the other end was down), and both ends finish it.
 */
function isOurs(ctx: MozpoolLabContext, device: LabDevice): boolean {
  if (device.imagingServer === ctx.serverId) return true;
  const requestId = requestIdOf(device.holder);
  return requestId !== null && ctx.readModels.requests.get(requestId)?.imaging_server === ctx.serverId;
}

function stepsFor(ctx: MozpoolLabContext, device: LabDevice, when: string): Step[] {
  const requestId = requestIdOf(device.holder);
  if (requestId === null) return [];
  const request = ctx.readModels.requests.get(requestId);
  const why = whyDetach(request, device.name);
  if (why !== undefined) {
    const command = { type: 'DetachHolder', holder: requestHolder(requestId), reason: `recovered ${when}: ${why}`, nowMs: ctx.nowMs() } as const;
    return [{ to: 'device', device: device.name, command }];
  }
  const result = request?.state === 'pending' ? imagingResultOf(device.state) : undefined;
  if (result === undefined) return [];
  return [{ to: 'request', request: requestId, command: { type: 'ImagingResult', device: device.name, result, nowMs: ctx.nowMs() } }];
}

function whyDetach(request: RequestView | undefined, device: string): string | undefined {
  if (request === undefined) return 'the request never opened';
  if (request.closed || request.state.startsWith('failed_')) return `request ${request.id} is ${request.state}`;
  if (request.assigned_device !== device) return request.assigned_device === '' ? `request ${request.id} holds no device` : `request ${request.id} holds ${request.assigned_device}`;
  return undefined;
}

/** A device attached to a pending request is imaging until it is back in `ready` (done) or failed. */
function imagingResultOf(state: string): 'complete' | 'failed-bad-device' | undefined {
  if (state === 'ready') return 'complete';
  return state.startsWith('failed_') ? 'failed-bad-device' : undefined;
}

async function send(ctx: MozpoolLabContext, step: Step): Promise<void> {
  try {
    if (step.to === 'device') await ctx.kinds.devices.ask(step.device, step.command, METADATA);
    else await ctx.kinds.requests.ask(String(step.request), step.command, METADATA);
  } catch (error) {
    const what = `recovery: ${step.to === 'device' ? step.device : `request ${step.request}`}`;
    // Another server that is down finishes its end at its own next start.
    if (error instanceof PeerCallError) ctx.warn({ error: error.message }, `${what} left to its server: ${error.message}`);
    else ctx.onError(error, what);
  }
}
