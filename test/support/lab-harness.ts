import { loadConfig, type LabpoolConfig } from '../../src/config/config.js';
import type { InventoryFile } from '../../src/domain/inventory/inventory-file.js';
import { syncInventory } from '../../src/lab/inventory-sync.js';
import { startLabpool, type RunningLabpool } from '../../src/labpool.js';
import type { Logger } from '../../src/logging/logger.js';
import type { EventStore } from '../../src/store/port.js';
import { createFakeHardware, type FakeHardware } from './fake-hardware.js';
import { waitFor } from './wait-for.js';
import { mozpoolDialect } from '../../src/dialects/mozpool/mozpool-dialect.js';

export const TEST_SERVER_ID = '127.0.0.1:8010';

/** A small lab: `count` panda boards and the catalogue to image them with android, ubuntu or self-test. */
export function createTestInventory(count: number, prefix = 'panda'): InventoryFile {
  const pxe = (name: string) => ({ name, version: 1, description: `${name} config`, contents: `KERNEL http://%IPADDRESS%/${name}/kernel`, active: true });
  const image = (name: string, extra: Partial<InventoryFile['images'][number]> = {}) => ({
    name,
    bootConfigKeys: [],
    canReuse: false,
    hidden: false,
    hasSutAgent: false,
    verify: { tcpPort: 22 },
    pxeConfigs: { panda: `panda-${name}` },
    ...extra,
  });
  return {
    hardwareTypes: [{ name: 'panda', description: 'PandaBoard' }],
    pxeConfigs: [pxe('panda-android'), pxe('panda-ubuntu'), pxe('panda-self-test')],
    racks: {},
    images: [image('android', { canReuse: true, bootConfigKeys: ['b2gbase'] }), image('ubuntu'), image('self-test', { hidden: true })],
    devices: Array.from({ length: count }, (_, i) => {
      const n = String(i + 1).padStart(4, '0');
      const mac = `02:00:00:00:${n.slice(0, 2)}:${n.slice(2)}`;
      return {
        name: `${prefix}-${n}`,
        fqdn: `${prefix}-${n}.lab`,
        inventoryId: i + 1,
        macAddress: mac,
        imagingServer: TEST_SERVER_ID,
        relayInfo: `pdu1:161/${i + 1}`,
        hardwareType: 'panda',
        environment: 'any',
        tags: [],
        labels: {},
        rack: null,
        rackLabels: {},
      };
    }),
  };
}

/**
 * `inventory` as an operator writes the file: without what parsing derives (each device's `rackLabels`)
 * or fills in for a device without a rack.
 */
export function inventoryFileText(inventory: Omit<InventoryFile, 'devices'> & { readonly devices: readonly InventoryFile['devices'][number][] }): string {
  const devices = inventory.devices.map(({ rackLabels: _rackLabels, rack, ...device }) => (rack === null ? device : { ...device, rack }));
  return JSON.stringify({ ...inventory, devices });
}

export function createTestConfig(overrides: Partial<LabpoolConfig> = {}): LabpoolConfig {
  return {
    ...loadConfig({ env: {} }),
    serverId: TEST_SERVER_ID,
    http: { host: '127.0.0.1', port: 0 },
    store: { kind: 'sqlite', path: ':memory:', synchronous: 'NORMAL' },
    actors: { snapshotEvery: 100, idleShutdownMs: 300_000, queryTimeoutMs: 10_000 },
    ...overrides,
  };
}

export type TestLab = { readonly labpool: RunningLabpool; readonly fake: FakeHardware; readonly url: string };

/**
 * Starts labpool in this process on real HTTP (127.0.0.1, ephemeral port) with fake hardware,
 * loads `inventory`, and, when `ready`, forces every device from `new` into `ready` as an operator would.
 */
export async function startTestLab(
  inventory: InventoryFile,
  options: { config?: Partial<LabpoolConfig>; ready?: boolean; fake?: FakeHardware; logger?: Logger; wrapStore?: (store: EventStore) => EventStore; nowMs?: () => number } = {},
): Promise<TestLab> {
  const fake = options.fake ?? createFakeHardware();
  // A `new` device self-tests at once; hanging its power keeps it in place until the test forces it ready.
  for (const device of inventory.devices) if (!fake.power.has(device.name)) fake.power.set(device.name, 'hang');
  const labpool = await startLabpool(createTestConfig(options.config), { hardware: fake.hardware, logger: options.logger, wrapStore: options.wrapStore, nowMs: options.nowMs });
  await syncInventory(labpool.lab, inventory, { force: false });
  if (options.ready ?? true) {
    for (const device of inventory.devices) await forceReady(labpool, device.name);
    for (const device of inventory.devices) fake.power.delete(device.name);
  }
  return { labpool, fake, url: labpool.url };
}

/** Forces `name` (owned by `labpool`, held in `pxe_power_cycling` by a hanging power cycle) into `ready` as an operator would. */
export async function forceReady(labpool: RunningLabpool, name: string): Promise<void> {
  const devices = labpool.lab.context.kinds.devices;
  // new → start_self_test → pxe_power_cycling, where the hanging power cycle holds it.
  await waitFor(async () => (await devices.read(name)).state.state === 'pxe_power_cycling');
  const result = await labpool.part(mozpoolDialect).lab.commands.forceState(name, 'pxe_power_cycling', 'ready', { actor: 'test' });
  if (!result.ok) throw new Error(`cannot force ${name} ready: ${result.message}`);
}
