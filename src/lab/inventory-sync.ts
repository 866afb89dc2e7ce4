import { readFileSync } from 'node:fs';
import type { ActorKind } from '../actors/actor-system.js';
import type { CommandOutcome } from '../actors/persistent-actor.js';
import type { DomainEvent } from '../domain/decider.js';
import { InventoryFileError, parseInventoryFile, type InventoryFile, type RelayInfoCheck } from '../domain/inventory/inventory-file.js';
import { planInventorySync } from '../domain/inventory/inventory-sync.js';
import type { LogPosition } from '../store/port.js';
import { waitForAll, type Lab } from './lab.js';

const SYNC_METADATA = { actor: 'inventory-sync' } as const;

/**
 * The label of a device an API registered (LBaaS's create), naming the API. Such a device is not the
 * inventory file's: a sync leaves it alone unless the file lists its name, which makes it the file's.
 */
export const API_REGISTERED_LABEL = 'registered-by';

function isApiRegistered(labels: Readonly<Record<string, string>>): boolean {
  return Object.hasOwn(labels, API_REGISTERED_LABEL);
}

export type SyncReport = { readonly devices: number; readonly retired: readonly string[] };

/** A sync that would retire more devices than is safe without `force`; nothing of it was applied. */
export class InventorySyncRefusedError extends Error {
  override readonly name = 'InventorySyncRefusedError';
  constructor(
    /** The devices the sync would have retired, sorted by name. */
    readonly retire: readonly string[],
    /** How many devices this server had. */
    readonly knownDevices: number,
    reason: string,
  ) {
    super(`inventory sync refused: ${reason}`);
  }
}

/**
 * Makes the lab match an inventory: catalogue entries and this server's devices are upserted
 * (unchanged ones append nothing), its devices the file no longer lists are retired — unless that is
 * too many and not forced.
 * Resolves once the read models show the result.
 */
export async function syncInventory(lab: Lab, fullInventory: InventoryFile, options: { readonly force: boolean }): Promise<SyncReport> {
  // Every server may load the whole lab's file; each registers and retires only the devices it owns.
  const { serverId } = lab.context;
  const ownerOf = ownersAfterHandovers(lab);
  const devices = fullInventory.devices.filter((device) => ownerOf(device) === serverId).map((device) => ({ ...device, imagingServer: serverId }));
  const inventory = { ...fullInventory, devices };
  const current = lab.context.readModels.devices
    .list()
    .filter((device) => device.imagingServer === serverId && !isApiRegistered(device.labels))
    .map((device) => device.name);
  const plan = planInventorySync({ deviceNames: current }, inventory, options);
  if (!plan.ok) throw new InventorySyncRefusedError(plan.retire, plan.knownDevices, plan.message);
  const nowMs = lab.context.nowMs();
  const positions = [...(await defineCatalogue(lab, inventory, nowMs)), ...(await registerDevices(lab, inventory, nowMs))];
  for (const name of plan.retire) positions.push(positionOf(await lab.context.kinds.devices.ask(name, { type: 'Retire', nowMs }, SYNC_METADATA), name));
  await waitForAll(lab.waitFor, positions);
  return { devices: inventory.devices.length, retired: plan.retire };
}

/**
 * A device handed over between servers belongs to the server it went to, whatever the file says: the
 * file of a server brought back still names it as the owner, and must neither take the device back
 * there nor have the new owner retire it as no longer listed.
 */
function ownersAfterHandovers(lab: Lab): (device: { readonly name: string; readonly imagingServer: string }) => string {
  const moved = new Map(
    lab.context.readModels.devices
      .list()
      .filter((device) => device.handedOverFrom !== undefined)
      .map((device) => [device.name, device.imagingServer]),
  );
  return (device) => moved.get(device.name) ?? device.imagingServer;
}

type DefineKind<Definition> = ActorKind<{ readonly type: 'Define'; readonly definition: Definition; readonly atMs: number }, DomainEvent, unknown>;

/** Hardware types, then PXE configs, then the images that name both. */
async function defineCatalogue(lab: Lab, inventory: InventoryFile, atMs: number): Promise<(LogPosition | undefined)[]> {
  const define = <Definition extends { readonly name: string }>(kind: DefineKind<Definition>, definitions: readonly Definition[]) =>
    Promise.all(definitions.map(async (definition) => positionOf(await kind.ask(definition.name, { type: 'Define', definition, atMs }, SYNC_METADATA), definition.name)));
  return [
    ...(await define(lab.catalogue.hardwareTypes, inventory.hardwareTypes)),
    ...(await define(lab.catalogue.pxeConfigs, inventory.pxeConfigs)),
    ...(await define(lab.catalogue.images, inventory.images)),
  ];
}

function registerDevices(lab: Lab, inventory: InventoryFile, nowMs: number): Promise<(LogPosition | undefined)[]> {
  return Promise.all(
    inventory.devices.map(async ({ name, ...device }) => positionOf(await lab.context.kinds.devices.ask(name, { type: 'Register', name, inventory: device, nowMs }, SYNC_METADATA), name)),
  );
}

function positionOf(outcome: CommandOutcome<unknown, unknown>, name: string): LogPosition | undefined {
  // Handed over to another server since this server's read models last looked: that server's now.
  if (!outcome.ok && outcome.rejection.code === 'handed_over') return undefined;
  if (!outcome.ok) throw new Error(`inventory entry ${name} refused: ${outcome.rejection.message}`);
  return outcome.position;
}

export type SyncFileOptions = {
  readonly force: boolean;
  /** Checks the power addresses of this server's devices (built from its PDU models). */
  readonly checkRelayInfo: RelayInfoCheck;
};

/**
 * Reads, parses and applies an inventory file. The file's problems are reported all at once, as an
 * {@link InventoryFileError}, before anything of it is applied.
 */
export async function syncInventoryFile(lab: Lab, path: string, options: SyncFileOptions): Promise<SyncReport> {
  const inventory = parseInventoryFile(readJson(path), { imagingServer: lab.context.serverId, checkRelayInfo: options.checkRelayInfo });
  return syncInventory(lab, inventory, options);
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InventoryFileError([`${path} cannot be read as JSON: ${error instanceof Error ? error.message : String(error)}`]);
  }
}
