/**
 * The vmpooler bench's stores: N devices, every one registered, self-tested (forced ready, as the
 * test harness and lease bench do), taken by pool `bench` and imaged with `ubuntu` through PXE and
 * its second stage: the events a pool fill writes. Imaging 30,000 devices through the actors would
 * take far longer than the measurement, so the bench images ONE template device through the real
 * code (a lab on instant hardware with the test harness's second stages), reads back exactly what its
 * actors wrote, and appends that history for each of the N devices with the device's own name, MAC,
 * inventory id and relay (many streams per transaction, as the store's group commit does). The
 * catalogue streams (hardware type, PXE configs, images) are copied once. The events are generated
 * afresh on every run: their times and deadlines (ready's re-verify, 10 min) are the run's own, so
 * none falls due while measuring.
 */
import type { InventoryFile } from '../src/domain/inventory/inventory-file.js';
import { vmpoolerDialect } from '../src/dialects/vmpooler/vmpooler-dialect.js';
import type { EventToAppend, RecordedEvent } from '../src/store/port.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { createTestInventory, startTestLab } from '../test/support/lab-harness.js';
import { driveSecondStages } from '../test/support/second-stage.js';
import { waitFor } from '../test/support/wait-for.js';

export const BENCH_POOL = 'bench';
const TEMPLATE = createTestInventory(1, 'tmpl').devices[0]!;

export function benchDeviceName(i: number): string {
  return `vmb-${String(i + 1).padStart(5, '0')}`;
}

function benchDevice(i: number) {
  const mac = `02:01:${[16, 8, 0].map((shift) => ((i >> shift) & 0xff).toString(16).padStart(2, '0')).join(':')}:01`;
  return { name: benchDeviceName(i), fqdn: `${benchDeviceName(i)}.lab`, inventoryId: i + 1, macAddress: mac, relayInfo: `pdu${Math.floor(i / 48) + 1}:161/${(i % 48) + 1}` };
}

/** The bench's inventory: the test catalogue and N devices named by {@link benchDeviceName}. */
export function benchInventory(devices: number): InventoryFile {
  const base = createTestInventory(1);
  return { ...base, devices: Array.from({ length: devices }, (_, i) => ({ ...TEMPLATE, ...benchDevice(i) })) };
}

/** Everything a fill of pool `bench` (size 1, one device) writes, read back from its store. */
async function templateHistory(): Promise<RecordedEvent[]> {
  const lab = await startTestLab(createTestInventory(1, 'tmpl'), { config: { vmpooler: { pools: [{ name: BENCH_POOL, image: 'ubuntu', size: 1 }] } } });
  const stop = driveSecondStages(lab.labpool);
  try {
    const { pools } = lab.labpool.part(vmpoolerDialect).lab.context;
    await waitFor(() => pools.queues(BENCH_POOL).ready.length === 1);
    // Settled: the pool's plan ran once more after the device's ready and found nothing to do.
    await lab.labpool.part(vmpoolerDialect).lab.manager.idle();
    const events: RecordedEvent[] = [];
    for await (const event of lab.labpool.store.readAll()) events.push(event);
    return events;
  } finally {
    stop();
    await lab.labpool.stop();
  }
}

const asAppend = (event: RecordedEvent): EventToAppend => ({ type: event.type, data: event.data, metadata: event.metadata });

/** The template's device events as device `i` would have them. */
function cloneFor(events: readonly RecordedEvent[], i: number): EventToAppend[] {
  const device = benchDevice(i);
  const text = JSON.stringify(events.map(asAppend))
    .replaceAll(`"${TEMPLATE.macAddress}"`, `"${device.macAddress}"`)
    .replaceAll(`"${TEMPLATE.relayInfo}"`, `"${device.relayInfo}"`)
    .replaceAll(`"inventoryId":${TEMPLATE.inventoryId},`, `"inventoryId":${device.inventoryId},`)
    .replaceAll(TEMPLATE.name, device.name);
  return JSON.parse(text) as EventToAppend[];
}

/** Writes the store of `devices` filled devices at `path`; returns how many events it holds. */
export async function buildVmpoolerStore(path: string, devices: number): Promise<number> {
  const template = await templateHistory();
  const deviceStream = `device-${TEMPLATE.name}`;
  const unexpected = template.filter((event) => event.stream !== deviceStream && !/^(hardwaretype|pxeconfig|image)-/.test(event.stream));
  if (unexpected.length > 0) throw new Error(`a pool fill wrote streams the bench does not copy: ${unexpected.map((event) => event.stream).join(', ')}`);
  const store = openSqliteStore({ path, synchronous: 'NORMAL' });
  try {
    const byStream = new Map<string, RecordedEvent[]>();
    for (const event of template) if (event.stream !== deviceStream) byStream.set(event.stream, [...(byStream.get(event.stream) ?? []), event]);
    await Promise.all([...byStream].map(([stream, events]) => store.appendToStream(stream, events.map(asAppend), 'no_stream')));
    const history = template.filter((event) => event.stream === deviceStream);
    const batch = 1_000;
    for (let start = 0; start < devices; start += batch) {
      const appends: Promise<unknown>[] = [];
      for (let i = start; i < Math.min(devices, start + batch); i++) appends.push(store.appendToStream(`device-${benchDeviceName(i)}`, cloneFor(history, i), 'no_stream'));
      await Promise.all(appends);
    }
    return template.length - history.length + devices * history.length;
  } finally {
    await store.close();
  }
}
