import type { JsonObject } from '../domain/device/device-events.js';

/** What a simulated board is made of: deterministic per device, so tests and demos see the same lab. */
export type SimHardware = {
  readonly product: string;
  readonly cpus: number;
  readonly memoryKb: number;
  /** Disk sizes in bytes, one per disk. */
  readonly diskBytes: readonly number[];
};

const GIB = 1024 ** 3;

/** The hardware of the `index`-th simulated device (0-based): every fourth has more memory, every third a second disk. */
export function simHardwareOf(index: number): SimHardware {
  const highMemory = index % 4 === 0;
  return {
    product: highMemory ? 'labpool sim-board XL' : 'labpool sim-board',
    cpus: highMemory ? 16 : 4 + 4 * (index % 2),
    memoryKb: (highMemory ? 64 : 8) * 1024 * 1024,
    diskBytes: index % 3 === 0 ? [256 * GIB, 1024 * GIB] : [128 * GIB],
  };
}

/**
 * An `lshw -json`-like report of a simulated device running `os`: the system node (serial = its name),
 * its processor, memory, disks and network port (serial = its MAC).
 */
export function simHardwareFacts(name: string, macAddress: string, hardware: SimHardware, os: string): JsonObject {
  const disks = hardware.diskBytes.map((size, i): JsonObject => ({
    id: `disk:${i}`,
    class: 'disk',
    description: 'ATA Disk',
    logicalname: `/dev/sd${String.fromCharCode(97 + i)}`,
    size,
    units: 'bytes',
  }));
  const core: JsonObject = {
    id: 'core',
    class: 'bus',
    description: 'Motherboard',
    children: [
      { id: 'cpu', class: 'processor', product: 'Simulated CPU', configuration: { cores: String(hardware.cpus), enabledcores: String(hardware.cpus), threads: String(hardware.cpus) } },
      { id: 'memory', class: 'memory', description: 'System Memory', size: hardware.memoryKb * 1024, units: 'bytes' },
      { id: 'storage', class: 'storage', description: 'SATA controller', children: disks },
      { id: 'network', class: 'network', description: 'Ethernet interface', logicalname: 'eth0', serial: macAddress, configuration: { link: 'yes' } },
    ],
  };
  return { id: name, class: 'system', description: 'Computer', product: hardware.product, vendor: 'labpool', serial: name, os, configuration: { os }, children: [core] };
}

/** The second stage reports the hardware once it has the image (after its download step), or while it self-tests. */
export function isSimFactsStep(image: string, event: string): boolean {
  return event === `${image}_downloading` || event === 'self_test_running';
}

/** Tries at posting one report: a lab that is down this long does not hold up the boot any longer. */
export const FACTS_POST_TRIES = 5;

/**
 * Posts a report to `POST /labpool/devices/{name}/facts` until labpool takes or refuses it, at most
 * {@link FACTS_POST_TRIES} times while `alive()`: the facts are a bonus, the boot goes on either way.
 * Resolves to the last status, or undefined when labpool never answered.
 */
export async function postSimFacts(url: string, name: string, facts: JsonObject, alive: () => boolean, log: (message: string) => void): Promise<number | undefined> {
  let status: number | undefined;
  for (let attempt = 0; attempt < FACTS_POST_TRIES && alive(); attempt++) {
    const response = await fetch(`${url}/labpool/devices/${name}/facts`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ generator: 'lshw', facts }),
      signal: AbortSignal.timeout(5_000),
    }).catch(() => undefined);
    await response?.body?.cancel();
    status = response?.status;
    if (status !== undefined && status < 500) break;
    await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1)));
  }
  if (status === undefined || status >= 300) log(`${name}: hardware facts not taken (${status === undefined ? 'no answer' : `answered ${status}`}), booting on`);
  return status;
}
