import type { Json } from '../json.js';
import type { JsonObject } from './device-events.js';

/**
 * The few numbers other parts read off a hardware report (Commissaire's host `cpus`, `memory`, `space`
 * and `os`); null when the report does not tell.
 */
export type HardwareSummary = {
  /** Processor cores: per processor its `configuration.enabledcores`, else `cores`, else 1, summed. */
  readonly cpus: number | null;
  /** System memory in kB (1024 bytes). */
  readonly memoryKb: number | null;
  /** Total size of the disks, in bytes. */
  readonly diskBytes: number | null;
  /** The operating system the report names: its top-level `os`, else `configuration.os`. */
  readonly os: string | null;
};

/** An `lshw -json` node: `class`, `id`, `size`, `configuration` and `children`, among others. */
type LshwNode = Readonly<Record<string, Json>>;

/** `memory` or `memory:1`; caches (`cache:0`) and firmware are memory too, but not the system's. */
const SYSTEM_MEMORY_ID = /^memory(:\d+)?$/;

/**
 * Reads a report shaped like `lshw -json`'s (one root node, or a list of them): processors, system memory
 * and disks anywhere in the tree. A report of another shape gives nulls, never an error.
 */
export function summarizeHardwareFacts(facts: JsonObject): HardwareSummary {
  const nodes = [...walk(facts)];
  const processors = nodes.filter((node) => node['class'] === 'processor' && node['disabled'] !== true);
  const memory = nodes.filter((node) => node['class'] === 'memory' && typeof node['id'] === 'string' && SYSTEM_MEMORY_ID.test(node['id']));
  const disks = nodes.filter((node) => node['class'] === 'disk');
  return {
    cpus: processors.length === 0 ? null : processors.reduce((sum, node) => sum + coresOf(node), 0),
    memoryKb: sumOfSizes(memory, (bytes) => Math.floor(bytes / 1024)),
    diskBytes: sumOfSizes(disks, (bytes) => bytes),
    os: osOf(facts),
  };
}

function* walk(value: Json): Generator<LshwNode> {
  if (Array.isArray(value)) {
    for (const item of value as readonly Json[]) yield* walk(item);
    return;
  }
  if (!isObject(value)) return;
  yield value;
  const children = value['children'];
  if (children !== undefined) yield* walk(children);
}

function coresOf(node: LshwNode): number {
  const configuration = node['configuration'];
  if (!isObject(configuration)) return 1;
  const cores = positiveInteger(configuration['enabledcores']) ?? positiveInteger(configuration['cores']);
  return cores ?? 1;
}

/** The sum of the nodes' sizes (bytes), converted; null when none of them has one. */
function sumOfSizes(nodes: readonly LshwNode[], convert: (bytes: number) => number): number | null {
  const sizes = nodes.flatMap((node) => {
    const size = node['size'];
    return typeof size === 'number' && Number.isFinite(size) && size >= 0 ? [size] : [];
  });
  return sizes.length === 0 ? null : convert(sizes.reduce((sum, size) => sum + size, 0));
}

function osOf(facts: JsonObject): string | null {
  const os = facts['os'];
  if (typeof os === 'string' && os !== '') return os;
  const configuration = facts['configuration'];
  const configured = isObject(configuration) ? configuration['os'] : undefined;
  return typeof configured === 'string' && configured !== '' ? configured : null;
}

/** lshw writes counts as strings (`"cores": "4"`); numbers are taken too. */
function positiveInteger(value: Json | undefined): number | undefined {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number > 0 ? number : undefined;
}

function isObject(value: Json | undefined): value is LshwNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
