import { readFileSync } from 'node:fs';
import type { ActorKind } from '../actors/actor-system.js';
import type { CommandOutcome } from '../actors/persistent-actor.js';
import type { DomainEvent } from '../domain/decider.js';
import { parseInventoryFile, type InventoryFile } from '../domain/inventory/inventory-file.js';
import { planInventorySync } from '../domain/inventory/inventory-sync.js';
import type { LogPosition } from '../store/port.js';
import type { Lab } from './lab.js';

const SYNC_METADATA = { actor: 'inventory-sync' } as const;

export type SyncReport = { readonly devices: number; readonly retired: readonly string[] };

/**
 * Makes the lab match an inventory: catalogue entries and this server's devices are upserted
 * (unchanged ones append nothing), its devices the file no longer lists are retired — unless that is
 * too many and not forced.
 * Resolves once the read models show the result.
 */
export async function syncInventory(lab: Lab, fullInventory: InventoryFile, options: { readonly force: boolean }): Promise<SyncReport> {
  // Every server may load the whole lab's file; each registers and retires only the devices it owns.
  const { serverId } = lab.context;
  const inventory = { ...fullInventory, devices: fullInventory.devices.filter((device) => device.imagingServer === serverId) };
  const current = lab.context.readModels.devices.list().filter((device) => device.imaging_server === serverId).map((device) => device.name);
  const plan = planInventorySync({ deviceNames: current }, inventory, options);
  if (!plan.ok) throw new Error(`inventory sync refused: ${plan.message}`);
  const nowMs = lab.context.nowMs();
  const positions = [...(await defineCatalogue(lab, inventory, nowMs)), ...(await registerDevices(lab, inventory, nowMs))];
  for (const name of plan.retire) positions.push(positionOf(await lab.context.kinds.devices.ask(name, { type: 'Retire', nowMs }, SYNC_METADATA), name));
  const latest = positions.reduce<LogPosition | undefined>((max, position) => (position !== undefined && (max === undefined || position > max) ? position : max), undefined);
  if (latest !== undefined) await lab.waitFor(latest);
  return { devices: inventory.devices.length, retired: plan.retire };
}

type DefineKind<Definition> = ActorKind<{ readonly type: 'Define'; readonly definition: Definition; readonly atMs: number }, DomainEvent, unknown>;

/** Hardware types, then PXE configs, then the images that name both. */
async function defineCatalogue(lab: Lab, inventory: InventoryFile, atMs: number): Promise<Array<LogPosition | undefined>> {
  const define = <Definition extends { readonly name: string }>(kind: DefineKind<Definition>, definitions: readonly Definition[]) =>
    Promise.all(definitions.map(async (definition) => positionOf(await kind.ask(definition.name, { type: 'Define', definition, atMs }, SYNC_METADATA), definition.name)));
  return [
    ...(await define(lab.catalogue.hardwareTypes, inventory.hardwareTypes)),
    ...(await define(lab.catalogue.pxeConfigs, inventory.pxeConfigs)),
    ...(await define(lab.catalogue.images, inventory.images)),
  ];
}

function registerDevices(lab: Lab, inventory: InventoryFile, nowMs: number): Promise<Array<LogPosition | undefined>> {
  return Promise.all(
    inventory.devices.map(async ({ name, ...device }) => positionOf(await lab.context.kinds.devices.ask(name, { type: 'Register', name, inventory: device, nowMs }, SYNC_METADATA), name)),
  );
}

function positionOf(outcome: CommandOutcome<unknown, unknown>, name: string): LogPosition | undefined {
  if (!outcome.ok) throw new Error(`inventory entry ${name} refused: ${outcome.rejection.message}`);
  return outcome.position;
}

/** Reads, parses and applies an inventory file; the file's problems are reported all at once. */
export async function syncInventoryFile(lab: Lab, path: string, options: { readonly force: boolean }): Promise<SyncReport> {
  const json: unknown = JSON.parse(readFileSync(path, 'utf8'));
  return syncInventory(lab, parseInventoryFile(json, { imagingServer: lab.context.serverId }), options);
}
