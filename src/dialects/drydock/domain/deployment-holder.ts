import { deviceWorkNews, type DeviceWorkNews } from '../../../domain/device/device-work-news.js';
import type { Holder } from '../../../domain/holders/holder.js';

/**
 * A node held by Drydock is held by the node task (the subtask of one node) that took it: a deploy
 * keeps it after the task ends, until another node task takes it over or `destroy_nodes` releases it.
 */
export function deploymentHolder(nodeTaskId: string): Holder {
  return { kind: 'drydock_deployment', id: nodeTaskId };
}

/** The node task holding a device, or null when another kind of holder (or none) holds it. */
export function nodeTaskOf(holder: Holder | null): string | null {
  return holder?.kind === 'drydock_deployment' ? holder.id : null;
}

/** What a node task hears from the device it holds: the work it asked for ended, or the device failed. */
export type NodeDeviceNews = DeviceWorkNews;

/** A node's device news are the core's: see {@link deviceWorkNews}. */
export const reactToNodeDevice = deviceWorkNews;
