import type { DeviceCommand } from '../../../domain/device/device-commands.js';
import type { DeviceInventory } from '../../../domain/device/device-events.js';
import { describeHolder } from '../../../domain/holders/holder.js';
import { httpError } from '../../../http/errors.js';
import { API_REGISTERED_LABEL } from '../../../lab/inventory-sync.js';
import type { Lab } from '../../../lab/lab.js';
import type { LogPosition } from '../../../store/port.js';
import type { LbaasDeviceFields } from '../http/lbaas-body.js';
import type { LbaasRecord, LbaasRegistry } from '../projections/lbaas-registry.js';

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

/**
 * Writes go one at a time on this server: a new device's id is the highest inventory id known plus
 * one, and two creates at once must not both take it. The device actor is still the single writer
 * of each device: a name registered meanwhile elsewhere is refused by it (`onlyNew`).
 */
export function createLbaasCommands(lab: Lab, registry: LbaasRegistry): LbaasCommands {
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <Result>(work: () => Promise<Result>): Promise<Result> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };
  const ask = async (name: string, command: DeviceCommand): Promise<LogPosition | undefined> => {
    const outcome = await lab.context.kinds.devices.ask(name, command, METADATA);
    if (outcome.ok) return outcome.position;
    if (outcome.rejection.code === 'already_registered') duplicate(name);
    throw httpError(400, outcome.rejection.message);
  };
  const settle = async (positions: readonly (LogPosition | undefined)[]) => {
    for (const position of positions) if (position !== undefined) await lab.waitFor(position);
  };
  const found = (id: number) =>
    registry.byId(id) ??
    (() => {
      throw httpError(404, `device id ${id} not found`);
    })();
  const refuseTaken = (name: string, id: number) => {
    if (registry.all().some((record) => record.name === name && record.inventoryId !== id && !record.retired)) duplicate(name);
  };
  const refuseInUse = (record: LbaasRecord, what: string) => {
    if (record.holder !== null) throw httpError(400, `device ${record.name} is in use by ${describeHolder(record.holder)}: cannot ${what} it`);
  };
  const inventoryOf = async (record: LbaasRecord): Promise<DeviceInventory> => {
    const { state } = await lab.context.kinds.devices.read(record.name);
    if (state.inventory === null) throw httpError(404, `device id ${record.inventoryId} not found`);
    if (state.inventory.imagingServer !== lab.context.serverId) throw httpError(400, `device ${record.name} belongs to server ${state.inventory.imagingServer}: change it there`);
    return state.inventory;
  };

  return {
    create: (fields) =>
      serial(async () => {
        refuseTaken(fields.name, 0);
        const inventoryId = registry.maxInventoryId() + 1;
        const inventory: DeviceInventory = {
          fqdn: fields.address,
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
        await settle([await ask(fields.name, { type: 'Register', name: fields.name, inventory, nowMs: lab.context.nowMs(), deployed: true, onlyNew: true })]);
        return found(inventoryId);
      }),
    update: (record, fields) =>
      serial(async () => {
        const current = found(record.inventoryId);
        const inventory = await inventoryOf(current);
        const changed = { ...inventory, fqdn: fields.address ?? inventory.fqdn };
        const name = fields.name ?? current.name;
        const nowMs = lab.context.nowMs();
        if (name === current.name) {
          await settle([await ask(name, { type: 'Register', name, inventory: changed, nowMs })]);
          return found(current.inventoryId);
        }
        refuseTaken(name, current.inventoryId);
        refuseInUse(current, 'rename');
        // A device's stream is named after it: a new name is the same inventory id under a new stream.
        const registered = await ask(name, { type: 'Register', name, inventory: changed, nowMs, deployed: current.state === 'ready', onlyNew: true });
        await settle([registered, await ask(current.name, { type: 'Retire', nowMs })]);
        return found(current.inventoryId);
      }),
    remove: (record) =>
      serial(async () => {
        const current = found(record.inventoryId);
        refuseInUse(current, 'delete');
        await inventoryOf(current);
        await settle([await ask(current.name, { type: 'Retire', nowMs: lab.context.nowMs() })]);
      }),
  };
}
