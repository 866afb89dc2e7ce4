import type { DeviceCommand } from '../../../domain/device/device-commands.js';
import type { EventMetadata } from '../../../store/port.js';
import { nextHost, type OperationKind, type StartedOperation } from '../domain/operation-decider.js';
import { operationId } from '../projections/commissaire-views.js';
import type { CommissaireContext } from './commissaire-context.js';

/** States of a device that are not busy with some work: it may be asked for more. */
export function isDeviceIdle(state: string): boolean {
  return state === 'ready' || state === 'operation_complete' || state === 'new' || state.startsWith('failed_');
}

/** The operation in process on `address`, if any: it hears what the host's device does. */
export function operationOfHost(ctx: CommissaireContext, address: string): StartedOperation | undefined {
  return ctx.views.openOperations().find((operation) => operation.inProcess === address);
}

const idOf = (operation: StartedOperation) => operationId(operation.kind, operation.cluster);

/**
 * Moves the operation on to its next host and asks that host's device for the work, once the read
 * models show the host in process (the device's news find the operation by them). Recovery calls it
 * too: the host in process is started again, which stores nothing, and its work redone.
 */
export async function startNextHost(ctx: CommissaireContext, operation: StartedOperation, cause: EventMetadata): Promise<void> {
  const host = nextHost(operation);
  if (host === undefined) return;
  const outcome = await ctx.kinds.operations.ask(idOf(operation), { type: 'HostStarted', host, nowMs: ctx.nowMs() }, cause);
  if (!outcome.ok || outcome.state.status !== 'in_process') return;
  if (outcome.position !== undefined) await ctx.waitFor(outcome.position);
  await workOnHost(ctx, outcome.state, host, cause);
}

async function failHost(ctx: CommissaireContext, operation: StartedOperation, host: string, reason: string, cause: EventMetadata): Promise<void> {
  await ctx.kinds.operations.ask(idOf(operation), { type: 'HostFailed', host, reason, nowMs: ctx.nowMs() }, cause);
}

/** The device command of one operation on one device, or why there is none. */
function commandFor(ctx: CommissaireContext, kind: OperationKind, version: string | null, device: string): DeviceCommand | string {
  const nowMs = ctx.nowMs();
  if (kind === 'restart') return { type: 'PleasePowerCycle', nowMs };
  const view = ctx.readModels.devices.get(device);
  const image = kind === 'deploy' ? version : (view?.image ?? null);
  if (view === undefined) return `device ${device} is not in the lab's inventory`;
  if (image === null || image === '') return `device ${device} has no image to upgrade`;
  const pxeConfig = ctx.readModels.images.pxeConfigFor(image, view.hardwareType)?.name;
  if (pxeConfig === undefined) return `device ${device} cannot be imaged: no active PXE config for ${image} on ${view.hardwareType}`;
  return { type: 'PleaseImage', image, bootConfig: '{}', pxeConfig, nowMs };
}

const IMAGING_STATES = /^(start_pxe_boot|pxe_power_cycling|pxe_booting|mobile_init_started|verifying|.+_(downloading|extracting|rebooting))$/;
const POWER_CYCLE_STATES = /^(pc_power_cycling|pc_rebooting|pc_pinging)$/;

/** Whether a busy device is doing the operation's own work: a restart of labpool cut it short and the device resumed it. */
function isWorkOf(kind: OperationKind, state: string): boolean {
  return (kind === 'restart' ? POWER_CYCLE_STATES : IMAGING_STATES).test(state);
}

/**
 * Asks the host's device for the operation's work: deploy images it with the version, upgrade
 * re-images it with its current image, restart power-cycles it (which ends once it answers verify).
 * A device busy with that very work (which a restart of labpool cut short) is waited for; busy with
 * other work, the host fails.
 */
export async function workOnHost(ctx: CommissaireContext, operation: StartedOperation, address: string, cause: EventMetadata): Promise<void> {
  const host = ctx.views.host(address);
  if (host === undefined) return failHost(ctx, operation, address, `host ${address} is not registered`, cause);
  // Only a host set up takes part: one that failed, or is still being investigated, fails the operation.
  if (host.status !== 'active' && host.status !== 'disassociated') return failHost(ctx, operation, address, `host ${address} is ${host.status}`, cause);
  const device = ctx.readModels.devices.get(host.device);
  if (device !== undefined && !isDeviceIdle(device.state)) {
    if (isWorkOf(operation.kind, device.state)) return;
    return failHost(ctx, operation, address, `device ${host.device} is busy (${device.state})`, cause);
  }
  const command = commandFor(ctx, operation.kind, operation.version, host.device);
  if (typeof command === 'string') return failHost(ctx, operation, address, command, cause);
  const outcome = await ctx.kinds.devices.ask(host.device, command, cause);
  if (!outcome.ok) await failHost(ctx, operation, address, `device ${host.device} refused: ${outcome.rejection.message}`, cause);
}

export async function operationDeviceDone(ctx: CommissaireContext, operation: StartedOperation, address: string, cause: EventMetadata): Promise<void> {
  await ctx.kinds.operations.ask(idOf(operation), { type: 'HostDone', host: address, nowMs: ctx.nowMs() }, cause);
}

export async function operationDeviceFailed(ctx: CommissaireContext, operation: StartedOperation, address: string, reason: string, cause: EventMetadata): Promise<void> {
  await failHost(ctx, operation, address, reason, cause);
}
