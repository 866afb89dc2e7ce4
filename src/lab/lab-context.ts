import { ActorSystemStoppedError, type ActorKind } from '../actors/actor-system.js';
import type { DeviceCommand } from '../domain/device/device-commands.js';
import type { DeviceEvent } from '../domain/device/device-events.js';
import type { DeviceState } from '../domain/device/device-state.js';
import type { LabReadModels } from '../projections/read-models.js';
import type { EventMetadata } from '../store/port.js';
import type { HardwareTarget, LabHardware } from './hardware-ports.js';
import type { HolderDispatcher } from './holder-reactions.js';
import type { PeerNetwork } from './peers/peer-network.js';

export type DeviceKind = ActorKind<DeviceCommand, DeviceEvent, DeviceState>;

/** The actor kinds of the core lab; a family's context adds its own. */
export type LabKinds = { readonly devices: DeviceKind };

/** What the lab's actors and services share. `kinds` may be read once every kind is registered. */
export type LabContext = {
  readonly serverId: string;
  readonly hardware: LabHardware;
  readonly readModels: LabReadModels;
  readonly nowMs: () => number;
  /** Verify port of a device whose image is unknown or names none (ssh). */
  readonly defaultVerifyPort: number;
  readonly onError: (error: unknown, context: string) => void;
  /** Trouble worth an operator's attention in the process log (warn level). */
  readonly warn: (fields: Readonly<Record<string, unknown>>, message: string) => void;
  /** What devices tell their holders, by holder kind (each family registers its own). */
  readonly holders: HolderDispatcher;
  /** The other servers on the store: `kinds` route asks of their actors to them. */
  readonly peers: PeerNetwork;
  readonly kinds: LabKinds;
};

/** Metadata of commands an actor sends on its own (reactions), caused by what it just stored. */
export function reactionMetadata(actor: string, cause: EventMetadata): EventMetadata {
  const metadata: Record<string, string> = { actor };
  if (typeof cause.correlationId === 'string') metadata.correlationId = cause.correlationId;
  return metadata;
}

export function hardwareTargetOf(state: DeviceState): HardwareTarget | undefined {
  if (state.name === null || state.inventory === null) return undefined;
  const { fqdn, macAddress, relayInfo } = state.inventory;
  return { device: state.name, fqdn, macAddress, relayInfo };
}

/** Runs `work` without waiting for it, reporting a failure instead of losing it. */
export function runDetached(ctx: LabContext, context: string, work: () => Promise<unknown>): void {
  work().catch((error: unknown) => {
    // Work still running when the server stops finds the actors gone: it resumes after a restart.
    if (!(error instanceof ActorSystemStoppedError)) ctx.onError(error, context);
  });
}
