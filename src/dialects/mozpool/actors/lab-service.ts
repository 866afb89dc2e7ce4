import type { CommandOutcome } from '../../../actors/persistent-actor.js';
import type { DeviceCommand } from '../../../domain/device/device-commands.js';
import { unansweredBy, type FindOutcome, type RequestCommand } from '../domain/request-commands.js';
import { requestHolder } from '../domain/request-holder.js';
import type { EventMetadata } from '../../../store/port.js';
import { findAndAttach } from './device-finder.js';
import { createRequestIdAllocator } from './request-id-allocator.js';
import type { LabCommands, LabResult, RequestDeviceInput } from './lab-commands.js';
import type { WaitForPosition } from '../../../lab/lab.js';
import type { MozpoolLabContext } from './mozpool-context.js';

export type { WaitForPosition };

const ok = <Value>(value: Value): LabResult<Value> => ({ ok: true, value });
const refuse = (status: 400 | 404 | 409, message: string): LabResult<never> => ({ ok: false, status, message });

/** Rejections that are the caller's mistake rather than the state's; every other one is a 409. */
const REJECTION_STATUS: Readonly<Record<string, 400 | 404>> = { unknown_state: 400 };

/** Times a new request id may collide with one another server took at the same moment. */
const MAX_ID_COLLISIONS = 5;

/** Why no device was attached, naming the environment when the request named one. */
function noDeviceMessage(found: Exclude<FindOutcome, { kind: 'attached' }>, input: RequestDeviceInput): string {
  if (found.kind === 'busy' && found.silentServer !== undefined) return `device ${input.device} cannot be had now: ${unansweredBy(found.silentServer)}`;
  if (found.kind !== 'none_free') return `device ${input.device} is not free`;
  return input.environment === 'any' ? 'no free device' : `no free device in environment ${input.environment}`;
}

export function createLabCommands(ctx: MozpoolLabContext, waitFor: WaitForPosition): LabCommands {
  const { readModels } = ctx;
  const nextRequestId = createRequestIdAllocator(ctx);

  /** Sends a device command and maps its outcome; 404 for a device the read model does not know. */
  async function toDevice(name: string, command: DeviceCommand, metadata: EventMetadata): Promise<LabResult<null>> {
    if (readModels.devices.get(name) === undefined) return refuse(404, `device ${name} not found`);
    return settle(await ctx.kinds.devices.ask(name, command, metadata));
  }

  async function toRequest(id: number, command: RequestCommand, metadata: EventMetadata): Promise<LabResult<null>> {
    if (readModels.requests.get(id) === undefined) return refuse(404, `request ${id} not found`);
    return settle(await ctx.kinds.requests.ask(String(id), command, metadata));
  }

  async function settle(outcome: CommandOutcome<unknown, unknown>): Promise<LabResult<null>> {
    if (!outcome.ok) return refuse(REJECTION_STATUS[outcome.rejection.code] ?? 409, outcome.rejection.message);
    if (outcome.position !== undefined) await waitFor(outcome.position);
    return ok(null);
  }

  /** Why the requested device or environment cannot be had from this server, if so. */
  function refuseTarget({ device, environment }: RequestDeviceInput): LabResult<never> | undefined {
    if (environment !== 'any' && !readModels.devices.environments().includes(environment)) return refuse(404, `environment ${environment} not found`);
    if (device === 'any') return undefined;
    const named = readModels.devices.get(device);
    if (named === undefined) return refuse(404, `device ${device} not found`);
    // Only the owner runs a device's actor: without the lab's peer token this server cannot ask it.
    if (named.imagingServer !== ctx.serverId && !ctx.peers.enabled) return refuse(409, `device ${device} is managed by ${named.imagingServer}: request it there`);
    if (environment !== 'any' && named.environment !== environment) return refuse(409, `device ${device} is in environment ${named.environment}, not ${environment}`);
    return undefined;
  }

  async function requestDevice(input: RequestDeviceInput, metadata: EventMetadata): Promise<LabResult<{ requestId: number }>> {
    const image = readModels.images.get(input.image);
    if (image === undefined || image.hidden) return refuse(404, `image ${input.image} not found`);
    const refused = refuseTarget(input);
    if (refused !== undefined) return refused;
    const bootConfig = JSON.stringify(Object.fromEntries(image.bootConfigKeys.filter((key) => key in input.bootConfig).map((key) => [key, input.bootConfig[key]])));
    for (let attempt = 0; attempt < MAX_ID_COLLISIONS; attempt++) {
      const requestId = await nextRequestId(metadata);
      const criteria = { requestId, requestedDevice: input.device, environment: input.environment, image: image.name, bootConfig };
      const found = await findAndAttach(ctx, criteria, metadata);
      if (found.kind !== 'attached') return refuse(409, noDeviceMessage(found, input));
      const { requestedDevice, environment } = criteria;
      const open = { type: 'Open', id: requestId, requestedDevice, environment, image: image.name, bootConfig, assignee: input.assignee } as const;
      const opened = await ctx.kinds.requests.ask(String(requestId), { ...open, imagingServer: ctx.serverId, durationS: input.durationS, assignedDevice: found.device, nowMs: ctx.nowMs() }, metadata);
      if (opened.ok) {
        if (opened.position !== undefined) await waitFor(opened.position);
        return ok({ requestId });
      }
      await ctx.kinds.devices.ask(found.device, { type: 'DetachHolder', holder: requestHolder(requestId), reason: 'request id taken', nowMs: ctx.nowMs() }, metadata);
      if (opened.rejection.code !== 'exists') return refuse(400, opened.rejection.message);
    }
    return refuse(409, 'could not allocate a request id');
  }

  /** LifeGuard's please events; undefined for any other event (a second-stage report). */
  function pleaseCommand(device: string, event: string, args: Readonly<Record<string, unknown>>, nowMs: number): DeviceCommand | 'bad_please_image' | 'unknown_image' | undefined {
    if (event === 'please_power_cycle') return { type: 'PleasePowerCycle', nowMs };
    if (event === 'please_self_test') return { type: 'PleaseSelfTest', nowMs };
    if (event === 'please_start_maintenance') return { type: 'PleaseStartMaintenance', nowMs };
    if (event !== 'please_image') return undefined;
    if (typeof args.image !== 'string') return 'bad_please_image';
    if (readModels.images.get(args.image) === undefined) return 'unknown_image';
    const hardwareType = readModels.devices.get(device)?.hardwareType ?? '';
    const bootConfig = typeof args.boot_config === 'string' ? args.boot_config : JSON.stringify(args.boot_config ?? {});
    return { type: 'PleaseImage', image: args.image, bootConfig, pxeConfig: readModels.images.pxeConfigFor(args.image, hardwareType)?.name ?? null, nowMs };
  }

  const now = () => ctx.nowMs();
  return {
    requestDevice,
    renewRequest: (id, durationS, metadata) => toRequest(id, { type: 'Renew', durationS, nowMs: now() }, metadata),
    returnRequest: (id, metadata) => toRequest(id, { type: 'Return', nowMs: now() }, metadata),
    requestEvent: (id, event, metadata) => toRequest(id, { type: 'ReportEvent', event, nowMs: now() }, metadata),
    async deviceEvent(device, event, args, metadata) {
      const command = pleaseCommand(device, event, args, now());
      if (command === 'bad_please_image') return refuse(400, 'please_image needs a string "image"');
      if (command === 'unknown_image') return refuse(404, `image ${String(args.image)} not found`);
      return toDevice(device, command ?? { type: 'ReportEvent', event, nowMs: now() }, metadata);
    },
    forceState: (device, from, to, metadata) => toDevice(device, { type: 'ForceState', from, to, nowMs: now() }, metadata),
    async powerCycle(device, options, metadata) {
      const pxeConfig = options.pxeConfig ?? null;
      if (pxeConfig !== null && readModels.pxeConfigs.get(pxeConfig) === undefined) return refuse(404, `PXE config ${pxeConfig} not found`);
      return toDevice(device, { type: 'BmmPowerCycle', pxeConfig, bootConfig: options.bootConfig ?? null, nowMs: now() }, metadata);
    },
    powerOff: (device, metadata) => toDevice(device, { type: 'PowerOff', nowMs: now() }, metadata),
    async ping(device) {
      const view = readModels.devices.get(device);
      if (view === undefined) return refuse(404, `device ${device} not found`);
      const image = readModels.images.get(view.image);
      const target = { device, fqdn: view.fqdn, macAddress: view.macAddress, relayInfo: view.relayInfo };
      const result = await ctx.hardware.verify.check(target, image?.verifyTcpPort ?? ctx.defaultVerifyPort);
      return ok({ success: result.ok });
    },
    clearPxe: (device, metadata) => toDevice(device, { type: 'ClearPxe', reason: 'clear-pxe', nowMs: now() }, metadata),
    setComments: (device, comments, metadata) => toDevice(device, { type: 'SetComments', comments, nowMs: now() }, metadata),
    setEnvironment: (device, environment, metadata) => toDevice(device, { type: 'SetEnvironment', environment, nowMs: now() }, metadata),
    async bootImage(device, imageName, bootConfig, metadata) {
      const view = readModels.devices.get(device);
      const image = readModels.images.get(imageName);
      if (view === undefined) return refuse(404, `device ${device} not found`);
      if (image === undefined) return refuse(404, `image ${imageName} not found`);
      const pxeConfig = readModels.images.pxeConfigFor(imageName, view.hardwareType)?.name ?? null;
      return toDevice(device, { type: 'PleaseImage', image: imageName, bootConfig, pxeConfig, nowMs: now() }, metadata);
    },
    bootComplete: (device, metadata) => toDevice(device, { type: 'ClearPxe', reason: 'boot complete', nowMs: now() }, metadata),
  };
}
