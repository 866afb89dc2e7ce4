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
  const positions: Array<LogPosition | undefined> = [];
  const define = async <Definition extends { readonly name: string }, Event extends DomainEvent>(kind: ActorKind<{ type: 'Define'; definition: Definition; atMs: number }, Event, unknown>, definition: Definition) =>
    positions.push(positionOf(await kind.ask(definition.name, { type: 'Define', definition, atMs: nowMs }, SYNC_METADATA), definition.name));
  await Promise.all(inventory.hardwareTypes.map((definition) => define(lab.catalogue.hardwareTypes, definition)));
  await Promise.all(inventory.pxeConfigs.map((definition) => define(lab.catalogue.pxeConfigs, definition)));
  await Promise.all(inventory.images.map((definition) => define(lab.catalogue.images, definition)));
  await Promise.all(
    inventory.devices.map(async ({ name, ...device }) => {
      positions.push(positionOf(await lab.context.kinds.devices.ask(name, { type: 'Register', name, inventory: device, nowMs }, SYNC_METADATA), name));
    }),
  );
  for (const name of plan.retire) positions.push(positionOf(await lab.context.kinds.devices.ask(name, { type: 'Retire', nowMs }, SYNC_METADATA), name));
  const last = positions.reduce<LogPosition | undefined>((max, position) => (position !== undefined && (max === undefined || position > max) ? position : max), undefined);
  if (last !== undefined) await lab.waitFor(last);
  return { devices: inventory.devices.length, retired: plan.retire };
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
