/**
 * A bench lab whose hardware answers at once: power, PXE and verify doubles in the server's process,
 * and devices forced from their first self-test into `ready` as an operator would. Shared by the
 * lease and the several-servers sections.
 */
import { loadConfig, type LabpoolConfig, type StoreConfig } from '../src/config/config.js';
import type { InventoryFile } from '../src/domain/inventory/inventory-file.js';
import { syncInventory } from '../src/lab/inventory-sync.js';
import type { HardwareResult, LabHardware } from '../src/lab/hardware-ports.js';
import type { RunningLabpool } from '../src/labpool.js';
import { mozpoolDialect } from '../src/dialects/mozpool/mozpool-dialect.js';

/** A server of a bench lab on `store`: no inventory file, no simulated lab, actors never idle out. */
export function instantLabConfig(serverId: string, store: StoreConfig, peerToken?: string): LabpoolConfig {
  const base = loadConfig({ env: {} });
  return {
    ...base,
    serverId,
    http: { host: '127.0.0.1', port: 0 },
    store,
    actors: { snapshotEvery: 100, idleShutdownMs: 0, queryTimeoutMs: 30_000 },
    // The bench must never wait on a LifeGuard timer; none of the defaults is reached on the happy path.
    inventory: { ...base.inventory, file: null },
    sim: { ...base.sim, enabled: false },
    ...(peerToken === undefined ? {} : { servers: { peerToken } }),
  };
}

const OK: HardwareResult = { ok: true };

/** Power, PXE and verify that answer at once; during setup the power of `held` devices never answers, as the test harness does. */
export function instantHardware(held: Set<string>): LabHardware {
  const ok = () => Promise.resolve(OK);
  return {
    power: { cycle: (target) => (held.has(target.device) ? new Promise<HardwareResult>(() => undefined) : ok()), off: ok },
    pxe: { write: ok, clear: ok },
    verify: { check: ok },
  };
}

/**
 * Registers `inventory` (this server's devices of it) and forces each of those devices from its
 * self-test into `ready`, as an operator would; returns their names.
 */
export async function prepareDevices(labpool: RunningLabpool, inventory: InventoryFile, held: Set<string>): Promise<string[]> {
  const names = inventory.devices.filter((device) => device.imagingServer === labpool.serverId).map((device) => device.name);
  for (const name of names) held.add(name);
  await syncInventory(labpool.lab, inventory, { force: false });
  const devices = labpool.lab.context.kinds.devices;
  const pending = new Set(names);
  for (let round = 0; pending.size > 0; round++) {
    if (round > 500) throw new Error(`devices not in pxe_power_cycling: ${[...pending].slice(0, 5).join(', ')}…`);
    await Promise.all(
      [...pending].map(async (name) => {
        if ((await devices.read(name)).state.state !== 'pxe_power_cycling') return;
        const result = await labpool.part(mozpoolDialect).lab.commands.forceState(name, 'pxe_power_cycling', 'ready', { actor: 'bench' });
        if (!result.ok) throw new Error(`cannot force ${name} ready: ${result.message}`);
        pending.delete(name);
      }),
    );
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  held.clear();
  // Let the ready devices verify (their reaction on entering ready) before measuring.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return names;
}
