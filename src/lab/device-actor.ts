import type { ActorDefinition, Reaction } from '../actors/persistent-actor.js';
import type { DeviceCommand, PowerFailure } from '../domain/device/device-commands.js';
import { createDeviceDecider } from '../domain/device/device-decider.js';
import type { DeviceEvent } from '../domain/device/device-events.js';
import type { Decider } from '../domain/decider.js';
import type { DeviceLimits } from '../domain/device/device-limits.js';
import type { DeviceState } from '../domain/device/device-state.js';
import { LIFEGUARD_FIXED_STATES } from '../domain/device/lifeguard-states.js';
import { describeHolder } from '../domain/holders/holder.js';
import type { EventMetadata } from '../store/port.js';
import type { HardwareResult, HardwareTarget } from './hardware-ports.js';
import { hardwareTargetOf, reactionMetadata, runDetached, type LabContext } from './lab-context.js';
import { entryWorkOf, isResumedWork } from './device-entry-work.js';
import { logDeviceTrouble } from './device-trouble-log.js';

export function createDeviceActor(ctx: LabContext, limits?: DeviceLimits): ActorDefinition<DeviceCommand, DeviceEvent, DeviceState> {
  return {
    category: 'device',
    // 2: DeviceState gained liveImage and selfTestVerifyRounds. 3: `requestId` became `holder`.
    // 4: the inventory gained tags, labels, rack and rackLabels. 5: DeviceState gained handover.
    snapshotVersion: 5,
    decider: warnOnHandedOver(ctx, createDeviceDecider(limits, ctx.serverId)),
    react: (reaction) => reactToDevice(ctx, reaction),
  };
}

/**
 * A server brought back after its devices were handed over may still get commands for them (a timer it
 * armed before, a holder's call): the decider refuses them, and the operator reads why in the log.
 */
function warnOnHandedOver(ctx: LabContext, decider: DeviceDecider): DeviceDecider {
  return {
    ...decider,
    decide(command, state) {
      const decision = decider.decide(command, state);
      if (!decision.ok && decision.rejection.code === 'handed_over') ctx.warn({ device: state.name, command: command.type, owner: state.inventory?.imagingServer }, decision.rejection.message);
      return decision;
    },
  };
}

/** The device's hardware, if this server may touch it: only the owner does (DESIGN §5). */
function ownedTargetOf(ctx: LabContext, state: DeviceState): HardwareTarget | undefined {
  return state.inventory?.imagingServer === ctx.serverId ? hardwareTargetOf(state) : undefined;
}

function reactToDevice(ctx: LabContext, { id, events, state, metadata }: Reaction<DeviceEvent, DeviceState>): void {
  // Another server's actor reacting here would be a bug upstream.
  const target = ownedTargetOf(ctx, state);
  if (target === undefined) return;
  const send = (command: DeviceCommand) => ctx.kinds.devices.ask(id, command, reactionMetadata('lifeguard', metadata));
  notifyHolder(ctx, state, events, metadata);
  logDeviceTrouble(ctx, state, events);
  for (const event of events) {
    if (event.type === 'PowerCycleRequested') runDetached(ctx, `${id} power cycle`, () => bmmPowerCycle(ctx, target, event.data.pxeConfig, state, send));
    if (event.type === 'PowerOffRequested') runDetached(ctx, `${id} power off`, () => logResult(ctx, ctx.hardware.power.off(target), 'power off', send));
    if (event.type === 'PxeClearRequested') runDetached(ctx, `${id} clear PXE`, () => logResult(ctx, ctx.hardware.pxe.clear(target), 'clear PXE', send));
  }
  // Only the state the decision ended in does work: earlier entries of a chain were passed through.
  if (events.some((event) => event.type === 'DeviceStateEntered')) runDetached(ctx, `${id} in ${state.state}`, () => enterState(ctx, state, target, send));
}

type Send = (command: DeviceCommand) => Promise<unknown>;

type DeviceDecider = Decider<DeviceCommand, DeviceEvent, DeviceState>;

/** States whose entry work (a power cycle, a verify, a PXE lookup) a crash may have cut short. */
export const STATES_WITH_WORK: ReadonlySet<string> = new Set(LIFEGUARD_FIXED_STATES.filter((state) => isResumedWork(entryWorkOf(state))));

/**
 * Runs the entry work of the state a device is in again, as its reaction did before a crash cut it
 * short: its result names the state entry (`seq`), so a second result for the same entry is stale.
 * Without this the device waits for the state's timeout (60 s for a power cycle, with MozPool's limits).
 */
export async function resumeStateWork(ctx: LabContext, name: string): Promise<void> {
  const { state } = await ctx.kinds.devices.read(name);
  const target = ownedTargetOf(ctx, state);
  if (target === undefined || !STATES_WITH_WORK.has(state.state)) return;
  const send = (command: DeviceCommand) => ctx.kinds.devices.ask(name, command, { actor: 'recovery' });
  runDetached(ctx, `${name} in ${state.state} (resumed)`, () => enterState(ctx, state, target, send));
}

async function enterState(ctx: LabContext, state: DeviceState, target: HardwareTarget, send: Send): Promise<void> {
  const command = await workFor(ctx, state, target, send);
  if (command !== undefined) await send(command);
}

/** The hardware work a state asks for on entry, and the command that reports its result. */
async function workFor(ctx: LabContext, state: DeviceState, target: HardwareTarget, send: Send): Promise<DeviceCommand | undefined> {
  const { seq } = state;
  const work = entryWorkOf(state.state);
  switch (work) {
    case 'pxe_power_cycle':
      return { type: 'PowerCycleResult', seq, ...(await pxePowerCycle(ctx, target, state)), nowMs: ctx.nowMs() };
    case 'power_cycle':
      return { type: 'PowerCycleResult', seq, ...(await plainPowerCycle(ctx, target)), nowMs: ctx.nowMs() };
    case 'continue': {
      const image = state.state === 'start_self_test' ? 'self-test' : 'maintenance';
      const pxeConfig = ctx.readModels.images.pxeConfigFor(image, state.inventory?.hardwareType ?? '')?.name ?? null;
      return { type: 'Continue', seq, pxeConfig, nowMs: ctx.nowMs() };
    }
    case 'clear_pxe':
      await logResult(ctx, ctx.hardware.pxe.clear(target), 'clear PXE', send);
      return undefined;
    case 'verify_if_free':
      if (state.holder !== null) return undefined;
      return { type: 'VerifyResult', seq, ...(await verify(ctx, target, state)), nowMs: ctx.nowMs() };
    case 'verify_until_up':
      return { type: 'VerifyResult', seq, ...(await verifyUntilUp(ctx, target, state)), nowMs: ctx.nowMs() };
    case 'none':
      return undefined;
    default:
      return work satisfies never;
  }
}

/** Pause between verify attempts while a rebooting device comes up. */
const VERIFY_POLL_MS = 1_000;

/**
 * A device that just rebooted takes a while to answer: try again every second until it does, the
 * state's deadline is near (its timeout then retries, as MozPool's did), or the device moved on.
 */
async function verifyUntilUp(ctx: LabContext, target: HardwareTarget, state: DeviceState): Promise<{ ok: boolean; error: string | null }> {
  const giveUpAtMs = (state.timeoutAtMs ?? ctx.nowMs()) - VERIFY_POLL_MS;
  for (;;) {
    const result = await verify(ctx, target, state);
    if (result.ok || ctx.nowMs() + VERIFY_POLL_MS >= giveUpAtMs) return result;
    await new Promise((resolve) => setTimeout(resolve, VERIFY_POLL_MS));
    const current = await ctx.kinds.devices.read(state.name ?? '');
    if (current.state.seq !== state.seq) return result;
  }
}

type PowerOutcome = { readonly ok: boolean; readonly error: string | null; readonly failure: PowerFailure };

async function pxePowerCycle(ctx: LabContext, target: HardwareTarget, state: DeviceState): Promise<PowerOutcome> {
  const config = state.pxeConfig === null ? undefined : ctx.readModels.pxeConfigs.get(state.pxeConfig);
  if (config === undefined) return { ok: false, error: `PXE config ${state.pxeConfig} not found`, failure: 'no_pxe_config' };
  if (target.relayInfo === '') return { ok: false, error: 'no power info', failure: 'no_power_info' };
  const written = await ctx.hardware.pxe.write(target, config, pxeVariables(ctx, state));
  if (!written.ok) return { ok: false, error: `writing the PXE file: ${written.error}`, failure: 'retry' };
  return toPowerOutcome(await ctx.hardware.power.cycle(target));
}

async function plainPowerCycle(ctx: LabContext, target: HardwareTarget): Promise<PowerOutcome> {
  if (target.relayInfo === '') return { ok: false, error: 'no power info', failure: 'no_power_info' };
  const cleared = await ctx.hardware.pxe.clear(target);
  if (!cleared.ok) return { ok: false, error: `clearing the PXE file: ${cleared.error}`, failure: 'retry' };
  return toPowerOutcome(await ctx.hardware.power.cycle(target));
}

/** A power cycle asked for outside the state machine (BMM's API, or verifying's every-Nth timeout). */
async function bmmPowerCycle(ctx: LabContext, target: HardwareTarget, pxeConfigName: string | null, state: DeviceState, send: Send): Promise<void> {
  const config = pxeConfigName === null ? undefined : ctx.readModels.pxeConfigs.get(pxeConfigName);
  const prepared = config === undefined ? await ctx.hardware.pxe.clear(target) : await ctx.hardware.pxe.write(target, config, pxeVariables(ctx, state));
  const result = prepared.ok ? await ctx.hardware.power.cycle(target) : prepared;
  // Recorded as events, not log lines: the boot under way and the power-failure metric see them.
  await send({ type: 'RecordPowerCycle', ok: result.ok, error: result.ok ? null : result.error, nowMs: ctx.nowMs() });
}

function toPowerOutcome(result: HardwareResult): PowerOutcome {
  return result.ok ? { ok: true, error: null, failure: 'retry' } : { ok: false, error: result.error, failure: 'retry' };
}

async function verify(ctx: LabContext, target: HardwareTarget, state: DeviceState): Promise<{ ok: boolean; error: string | null }> {
  // While verifying a boot, the image just installed; otherwise what runs: a live self-test or maintenance
  // image until the next power cycle, else the installed one.
  const image = ctx.readModels.images.get(state.state === 'verifying' ? (state.nextImage ?? state.image) : (state.liveImage ?? state.image));
  const result = await ctx.hardware.verify.check(target, image?.verifyTcpPort ?? ctx.defaultVerifyPort);
  return result.ok ? { ok: true, error: null } : { ok: false, error: result.error };
}

async function logResult(ctx: LabContext, pending: Promise<HardwareResult>, what: string, send: Send): Promise<void> {
  const result = await pending;
  await send({ type: 'Log', source: 'bmm', message: result.ok ? `${what}: ok` : `${what} failed: ${result.error}`, nowMs: ctx.nowMs() });
}

/** labpool's variables for PXE configs, besides `%IPADDRESS%` (which the PXE writer fills in). */
function pxeVariables(ctx: LabContext, state: DeviceState): Record<string, string> {
  const server = `http://${ctx.serverId}`;
  return {
    SERVER_URL: server,
    DEVICE: state.name ?? '',
    IMAGE: state.nextImage ?? state.image,
    BOOT_CONFIG_URL: `${server}/api/device/${state.name}/bootconfig/`,
  };
}

/** What the device's holder must hear about these events goes through its kind's registered reactions. */
function notifyHolder(ctx: LabContext, state: DeviceState, events: readonly DeviceEvent[], cause: EventMetadata): void {
  for (const { holder, run } of ctx.holders.deliveries(state, events, reactionMetadata('lifeguard', cause))) runDetached(ctx, `${describeHolder(holder)} told`, run);
}
