import type { DeviceCommand } from '../../../domain/device/device-commands.js';
import type { DeviceInventory } from '../../../domain/device/device-events.js';
import { describeHolder } from '../../../domain/holders/holder.js';
import { httpError } from '../../../http/errors.js';
import { API_REGISTERED_LABEL } from '../../../lab/inventory-sync.js';
import type { ActorKind } from '../../../actors/actor-system.js';
import { waitForAll, type Lab } from '../../../lab/lab.js';
import type { LogPosition } from '../../../store/port.js';
import type { LbaasDeviceFields } from '../http/lbaas-body.js';
import type { LbaasRecord, LbaasRegistry } from '../projections/lbaas-registry.js';
import { LBAAS_IDS_STREAM_ID, type LbaasIdsCommand, type LbaasIdsEvent, type LbaasIdsState } from '../domain/lbaas-ids.js';

/** The shared record of the ids creates took (see lbaas-ids.ts). */
export type LbaasIdsKind = ActorKind<LbaasIdsCommand, LbaasIdsEvent, LbaasIdsState>;

/** The hardware type of a device LBaaS registers: the only type the document knows. */
export const LBAAS_DEVICE_TYPE = 'HAProxy';
/** Their environment: a MozPool request for a named environment never takes one. */
export const LBAAS_ENVIRONMENT = 'lbaas';

/** The Device API's writes; each resolves once the registry shows its result. */
export interface LbaasCommands {
  create(fields: Required<LbaasDeviceFields>): Promise<LbaasRecord>;
  update(record: LbaasRecord, fields: LbaasDeviceFields): Promise<LbaasRecord>;
  remove(record: LbaasRecord): Promise<void>;
}

const METADATA = { actor: 'lbaas' } as const;

function duplicate(name: string): never {
  throw httpError(400, `device name : ${name} already exists`);
}

type Deps = { readonly lab: Lab; readonly registry: LbaasRegistry; readonly ids: LbaasIdsKind };

/** Asks a device actor; a refusal is the client's 400 (a name registered meanwhile: a duplicate). */
async function ask({ lab }: Deps, name: string, command: DeviceCommand): Promise<LogPosition | undefined> {
  const outcome = await lab.context.kinds.devices.ask(name, command, METADATA);
  if (outcome.ok) return outcome.position;
  if (outcome.rejection.code === 'already_registered') duplicate(name);
  throw httpError(400, outcome.rejection.message);
}

/** Read-your-writes: the answer is built from the registry once it shows every event appended. */
async function settle({ lab }: Deps, positions: readonly (LogPosition | undefined)[]): Promise<void> {
  await waitForAll(lab.waitFor, positions);
}

function found({ registry }: Deps, id: number): LbaasRecord {
  const record = registry.byId(id);
  if (record === undefined) throw httpError(404, `device id ${id} not found`);
  return record;
}

function refuseTaken({ registry }: Deps, name: string, id: number): void {
  if (registry.all().some((record) => record.name === name && record.inventoryId !== id && !record.retired)) duplicate(name);
}

function refuseInUse(record: LbaasRecord, what: string): void {
  if (record.holder !== null) throw httpError(400, `device ${record.name} is in use by ${describeHolder(record.holder)}: cannot ${what} it`);
}

/** Only the server that owns a device writes its stream. */
async function inventoryOf({ lab }: Deps, record: LbaasRecord): Promise<DeviceInventory> {
  const { state } = await lab.context.kinds.devices.read(record.name);
  if (state.inventory === null) throw httpError(404, `device id ${record.inventoryId} not found`);
  if (state.inventory.imagingServer !== lab.context.serverId) throw httpError(400, `device ${record.name} belongs to server ${state.inventory.imagingServer}: change it there`);
  return state.inventory;
}

function lbaasInventory(lab: Lab, address: string, inventoryId: number): DeviceInventory {
  return {
    fqdn: address,
    inventoryId,
    macAddress: '',
    imagingServer: lab.context.serverId,
    relayInfo: '',
    hardwareType: LBAAS_DEVICE_TYPE,
    environment: LBAAS_ENVIRONMENT,
    tags: [],
    labels: { [API_REGISTERED_LABEL]: 'lbaas' },
    rack: null,
    rackLabels: {},
  };
}

/** The next id, recorded as taken before the device is registered with it: no other server's create gets it. */
async function takeId({ lab, registry, ids }: Deps, name: string): Promise<number> {
  const command = { type: 'Take', above: registry.maxInventoryId(), name, server: lab.context.serverId, nowMs: lab.context.nowMs() } as const;
  const outcome = await ids.ask(LBAAS_IDS_STREAM_ID, command, METADATA);
  const taken = outcome.ok ? outcome.events[0]?.data.id : undefined;
  if (taken === undefined) throw new Error(`could not take an LBaaS device id: ${outcome.ok ? 'nothing taken' : outcome.rejection.message}`);
  return taken;
}

async function create(deps: Deps, fields: Required<LbaasDeviceFields>): Promise<LbaasRecord> {
  refuseTaken(deps, fields.name, 0);
  const inventoryId = await takeId(deps, fields.name);
  const inventory = lbaasInventory(deps.lab, fields.address, inventoryId);
  const command: DeviceCommand = { type: 'Register', name: fields.name, inventory, nowMs: deps.lab.context.nowMs(), deployed: true, onlyNew: true };
  await settle(deps, [await ask(deps, fields.name, command)]);
  return found(deps, inventoryId);
}

async function update(deps: Deps, record: LbaasRecord, fields: LbaasDeviceFields): Promise<LbaasRecord> {
  const current = found(deps, record.inventoryId);
  const inventory = await inventoryOf(deps, current);
  const changed = { ...inventory, fqdn: fields.address ?? inventory.fqdn };
  const name = fields.name ?? current.name;
  const nowMs = deps.lab.context.nowMs();
  if (name === current.name) {
    await settle(deps, [await ask(deps, name, { type: 'Register', name, inventory: changed, nowMs })]);
    return found(deps, current.inventoryId);
  }
  refuseTaken(deps, name, current.inventoryId);
  refuseInUse(current, 'rename');
  // A device's stream is named after it: a new name is the same inventory id under a new stream.
  const registered = await ask(deps, name, { type: 'Register', name, inventory: changed, nowMs, deployed: current.state === 'ready', onlyNew: true });
  await settle(deps, [registered, await ask(deps, current.name, { type: 'Retire', nowMs })]);
  return found(deps, current.inventoryId);
}

async function remove(deps: Deps, record: LbaasRecord): Promise<void> {
  const current = found(deps, record.inventoryId);
  refuseInUse(current, 'delete');
  await inventoryOf(deps, current);
  await settle(deps, [await ask(deps, current.name, { type: 'Retire', nowMs: deps.lab.context.nowMs() })]);
}

/**
 * Writes go one at a time on this server. A new device's id is taken from the ids every server
 * shares (the highest taken or known, plus one), so creates on two servers at once get two ids. The
 * device actor is still the single writer of each device: a name registered meanwhile elsewhere is
 * refused by it (`onlyNew`).
 */
export function createLbaasCommands(lab: Lab, registry: LbaasRegistry, ids: LbaasIdsKind): LbaasCommands {
  const deps: Deps = { lab, registry, ids };
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <Result>(work: () => Promise<Result>): Promise<Result> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };
  return {
    create: (fields) => serial(() => create(deps, fields)),
    update: (record, fields) => serial(() => update(deps, record, fields)),
    remove: (record) => serial(() => remove(deps, record)),
  };
}
