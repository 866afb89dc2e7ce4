import type { LabDevice } from '../../../projections/read-models.js';

/** A node as Drydock's `GET /nodes` reports it (MAAS's machine fields), plus labpool's image and labels. */
export type DrydockNode = {
  readonly hostname: string;
  readonly memory: number | null;
  readonly cpu_count: number | null;
  readonly status_name: string;
  readonly boot_mac: string;
  readonly power_state: 'on' | 'unknown';
  readonly power_address: string;
  readonly boot_ip: string | null;
  readonly image: string;
  readonly tags: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly rack: string | null;
};

/** What the device reported of its hardware last (its second stage's facts), when it did. */
export type NodeHardware = { readonly cpuCount: number | null; readonly memoryKb: number | null };

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** What MAAS calls a node at work for each node action; a node relabelled is not at work. */
const WORKING_STATUS: Readonly<Record<string, string>> = {
  deploy_nodes: 'Deploying',
  verify_nodes: 'Testing',
  prepare_nodes: 'Commissioning',
  destroy_nodes: 'Disk erasing',
};

/**
 * MAAS's status names, which Drydock's users read, from the device's LifeGuard state and holder: a
 * ready device held by a deployment is `Deployed`, held by another family `Allocated`. A device at
 * work for Drydock is named after the action of the node task working on it (`activeAction`): a
 * verify borrows a deployed node without taking it, so the holder alone cannot tell.
 */
export function nodeStatusName(device: Pick<LabDevice, 'state' | 'holder'>, activeAction: string | null = null): string {
  const { state, holder } = device;
  if (state.startsWith('failed_') || state === 'locked_out' || state === 'troubleshooting') return 'Broken';
  if (state === 'new') return 'New';
  if (state === 'maintenance_mode' || state === 'start_maintenance') return 'Rescue mode';
  if (state === 'start_self_test' || state === 'self_test_running') return 'Testing';
  if (state === 'ready' || state.startsWith('pc_')) {
    if (holder === null) return 'Ready';
    return holder.kind === 'drydock_deployment' ? 'Deployed' : 'Allocated';
  }
  if (holder?.kind !== 'drydock_deployment') return 'Allocated';
  return WORKING_STATUS[activeAction ?? 'deploy_nodes'] ?? 'Deploying';
}

type InventoryLabels = { readonly tags?: readonly string[]; readonly labels?: Readonly<Record<string, string>>; readonly rack?: string | null };

export function toDrydockNode(device: LabDevice & InventoryLabels, hardware: NodeHardware | undefined, activeAction: string | null = null): DrydockNode {
  return {
    hostname: device.name,
    memory: hardware?.memoryKb === undefined || hardware.memoryKb === null ? null : Math.round(hardware.memoryKb / 1024),
    cpu_count: hardware?.cpuCount ?? null,
    status_name: nodeStatusName(device, activeAction),
    boot_mac: device.macAddress,
    power_state: device.state.startsWith('failed_') ? 'unknown' : 'on',
    power_address: device.relayInfo,
    boot_ip: IPV4.test(device.fqdn) ? device.fqdn : null,
    image: device.image,
    tags: device.tags ?? [],
    labels: device.labels ?? {},
    rack: device.rack ?? null,
  };
}
