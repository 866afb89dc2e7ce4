import { createHash } from 'node:crypto';
import type { InventoryFile } from '../domain/inventory/inventory-file.js';
import { startSimulatedPdu, type SimulatedPdu } from './pdu-agent.js';
import { createSimDevice, type SimDevice, type SimDeviceFaults } from './sim-device.js';
import { simHardwareOf } from './sim-facts.js';

/** One simulated PDU: its model, UDP port, outlets, and which outlets are dead. */
export type SimPduConfig = {
  readonly name: string;
  readonly model: string;
  readonly port: number;
  readonly outlets: number;
  readonly deadOutlets?: readonly number[];
  /** How labpool addresses it: `host:port/<outlet>` (the default model) or `snmp://…?model=`. */
  readonly relayForm: 'short' | 'url';
};

export type SimLabConfig = {
  /** labpool's id (`host:port`): the imaging server of every simulated device. */
  readonly serverId: string;
  readonly tftp: { readonly host: string; readonly port: number };
  readonly pdus: readonly SimPduConfig[];
  /** Devices, wired to the PDUs' outlets in order. */
  readonly devices: number;
  readonly faults?: Readonly<Record<string, SimDeviceFaults>>;
  readonly stepDelayMs: number;
  /**
   * What each device's disk holds at start, by name: a restart of labpool keeps the disks it imaged.
   * Devices not named (or named with '') start with `ubuntu`.
   */
  readonly installedImages?: Readonly<Record<string, string>>;
  /** Devices get 127.0.1.1, 127.0.1.2…; change when that range is taken. */
  readonly addressPrefix?: string;
  /**
   * Devices are named `sim-0001`…; another prefix names them `<prefix>-0001`… and gives them MAC
   * addresses of their own: the simulated labs of several servers on one store then differ.
   */
  readonly namePrefix?: string;
  readonly log?: (message: string) => void;
};

export type SimLab = {
  /** The inventory to load into labpool: the catalogue and every simulated device. */
  readonly inventory: InventoryFile;
  readonly devices: readonly SimDevice[];
  readonly pdus: readonly SimulatedPdu[];
  stop(): Promise<void>;
};

/** Image → TCP port its booted devices answer on (what verify connects to). */
export const SIM_IMAGE_PORTS: Readonly<Record<string, number>> = { ubuntu: 2222, android: 20701, 'self-test': 2222, maintenance: 2222, erase: 2222 };

/** Every simulated device that is up answers here: labpool's `verify.defaultTcpPort` in the sim lab. */
export const SIM_SSH_PORT = 2222;

const HARDWARE_TYPE = 'sim-board';

/**
 * The simulated lab on loopback: net-snmp PDUs of several models, and devices on their outlets that
 * PXE boot from labpool's TFTP server and report their second stage to labpool over HTTP.
 */
export async function startSimLab(config: SimLabConfig): Promise<SimLab> {
  const pdus: SimulatedPdu[] = [];
  const devices: SimDevice[] = [];
  try {
    const wiring = simLabWiring(config);
    const isDead = (i: number) => config.faults?.[wiring[i]!.name]?.deadOutlet === true;
    /** Per PDU, outlet → the device whose boot a late read-back waits for. */
    const lateReadBacks = config.pdus.map(() => new Map<number, SimDevice>());
    for (const [p, pduConfig] of config.pdus.entries()) {
      const deadOutlets = wiring.filter((slot, i) => slot.pdu === p && isDead(i)).map((slot) => slot.outlet);
      const holdReadBack = async (outlet: number) => lateReadBacks[p]?.get(outlet)?.whenBootShown();
      pdus.push(await startSimulatedPdu({ model: pduConfig.model, port: pduConfig.port, outlets: pduConfig.outlets, deadOutlets: [...(pduConfig.deadOutlets ?? []), ...deadOutlets], holdReadBack }));
    }
    for (const [i, slot] of wiring.entries()) {
      const device = createSimDevice({
        name: slot.name,
        macAddress: slot.macAddress,
        address: slot.address,
        tftp: config.tftp,
        imagePorts: SIM_IMAGE_PORTS,
        sshPort: SIM_SSH_PORT,
        installedImage: config.installedImages?.[slot.name] || 'ubuntu',
        stepDelayMs: config.stepDelayMs,
        faults: config.faults?.[slot.name],
        hardware: simHardwareOf(i),
        log: config.log,
      });
      pdus[slot.pdu]!.onOutletChange((changed, on) => changed === slot.outlet && device.setPower(on));
      if (config.faults?.[slot.name]?.lateReadBack) lateReadBacks[slot.pdu]?.set(slot.outlet, device);
      devices.push(device);
    }
  } catch (error) {
    await Promise.all([...devices.map((device) => device.stop()), ...pdus.map((pdu) => pdu.stop())]);
    throw error;
  }
  return {
    inventory: simLabInventory({ ...config, pdus: config.pdus.map((pdu, p) => ({ ...pdu, port: pdus[p]!.port })) }),
    devices,
    pdus,
    async stop() {
      await Promise.all(devices.map((device) => device.stop()));
      await Promise.all(pdus.map((pdu) => pdu.stop()));
    },
  };
}

/** One simulated device and where it is plugged in. */
type SimSlot = { readonly name: string; readonly address: string; readonly macAddress: string; readonly pdu: number; readonly outlet: number };

/** The devices of `config`, wired to the PDUs' outlets in order. */
function simLabWiring(config: SimLabConfig): SimSlot[] {
  const outlets = config.pdus.flatMap((pdu, p) => Array.from({ length: pdu.outlets }, (_, o) => ({ pdu: p, outlet: o + 1 })));
  return outlets.slice(0, config.devices).map((slot, i) => ({
    ...slot,
    name: simDeviceName(config.namePrefix ?? 'sim', i),
    address: `${config.addressPrefix ?? '127.0.1.'}${i + 1}`,
    macAddress: `02:5a:${macPrefixOf(config.namePrefix ?? 'sim')}:${toHex(Math.floor((i + 1) / 256))}:${toHex((i + 1) % 256)}`,
  }));
}

/**
 * The inventory of the simulated lab `config` describes, without starting it: what a server loads
 * when the lab runs in a process of its own (`labpool sim`). The PDUs' ports must be the real ones.
 */
export function simLabInventory(config: SimLabConfig): InventoryFile {
  const devices = simLabWiring(config).map((slot, i): InventoryFile['devices'][number] => {
    const pdu = config.pdus[slot.pdu]!;
    return {
      name: slot.name,
      fqdn: slot.address,
      inventoryId: i + 1,
      macAddress: slot.macAddress,
      imagingServer: config.serverId,
      relayInfo: pdu.relayForm === 'url' ? `snmp://private@127.0.0.1:${pdu.port}/${slot.outlet}?model=${pdu.model}` : `127.0.0.1:${pdu.port}/${slot.outlet}`,
      hardwareType: HARDWARE_TYPE,
      environment: i % 2 === 0 ? 'any' : 'staging',
      ...simSelectors(i),
    };
  });
  return { ...SIM_CATALOGUE, racks: simRacks(devices.length), devices };
}

/** Simulated devices per rack. */
const SIM_RACK_SIZE = 8;

const SIM_ROLES = ['compute', 'storage', 'control'] as const;

/** Racks of eight, two racks per room: `rack-1` and `rack-2` in `lab-1`, `rack-3` in `lab-2`… */
function simRacks(devices: number): InventoryFile['racks'] {
  return Object.fromEntries(Array.from({ length: Math.ceil(devices / SIM_RACK_SIZE) }, (_, r) => [`rack-${r + 1}`, { labels: simRackLabels(r) }]));
}

function simRackLabels(rack: number): Readonly<Record<string, string>> {
  return { room: `lab-${Math.floor(rack / 2) + 1}`, row: rack % 2 === 0 ? 'a' : 'b' };
}

/** What node filters select the `i`-th device by: its role (tag and label), its hardware, its rack. */
function simSelectors(i: number): Pick<InventoryFile['devices'][number], 'tags' | 'labels' | 'rack' | 'rackLabels'> {
  const role = SIM_ROLES[i % SIM_ROLES.length]!;
  const rack = Math.floor(i / SIM_RACK_SIZE);
  return {
    tags: [role, ...(simHardwareOf(i).memoryKb > 8 * 1024 * 1024 ? ['high_memory'] : [])],
    labels: { role, arch: 'x86_64' },
    rack: `rack-${rack + 1}`,
    rackLabels: simRackLabels(rack),
  };
}

function simDeviceName(prefix: string, index: number): string {
  return `${prefix}-${String(index + 1).padStart(4, '0')}`;
}

/** Two bytes of a MAC address, `00:00` for the default prefix (as before prefixes existed), another pair per prefix. */
function macPrefixOf(namePrefix: string): string {
  if (namePrefix === 'sim') return '00:00';
  const hash = createHash('sha256').update(namePrefix).digest();
  return `${toHex(hash[0]!)}:${toHex(hash[1]! | 1)}`;
}

function toHex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

function simPxeConfig(image: string): InventoryFile['pxeConfigs'][number] {
  const contents = [
    'DEFAULT labpool',
    'PROMPT 0',
    'LABEL labpool',
    `  KERNEL http://%IPADDRESS%/boot/${image}/vmlinuz`,
    `  APPEND initrd=http://%IPADDRESS%/boot/${image}/initrd.img ip=dhcp labpool.url=%SERVER_URL% labpool.device=%DEVICE% labpool.image=%IMAGE% labpool.bootconfig=%BOOT_CONFIG_URL%`,
    '',
  ].join('\n');
  return { name: `sim-${image}`, version: 1, description: `${image} installer for simulated boards`, contents, active: true };
}

function simImage(name: string, extra: Partial<InventoryFile['images'][number]> = {}): InventoryFile['images'][number] {
  return { name, bootConfigKeys: [], canReuse: false, hidden: false, hasSutAgent: false, verify: { tcpPort: SIM_IMAGE_PORTS[name] ?? 22 }, pxeConfigs: { [HARDWARE_TYPE]: `sim-${name}` }, ...extra };
}

/** Images and PXE configs of the simulated lab: two to request, the hidden self-test and maintenance ones, and Drydock's erase. */
const SIM_CATALOGUE: Omit<InventoryFile, 'devices' | 'racks'> = {
  hardwareTypes: [{ name: HARDWARE_TYPE, description: 'simulated board on 127.0.1.0/24 (labpool sim lab)' }],
  pxeConfigs: ['ubuntu', 'android', 'self-test', 'maintenance', 'erase'].map(simPxeConfig),
  images: [simImage('ubuntu'), simImage('android', { canReuse: true, hasSutAgent: true }), simImage('self-test', { hidden: true }), simImage('maintenance', { hidden: true }), simImage('erase')],
};
