import type { Design, DesignBootaction, FilterableNode } from './design.js';
import { selectNodes } from './node-filter.js';

type Labelled = { readonly tags?: readonly string[]; readonly labels?: Readonly<Record<string, string>>; readonly rack?: string | null; readonly rackLabels?: Readonly<Record<string, string>> };

/** A device as node filters see it. */
export function filterableNode(device: { readonly name: string } & Labelled): FilterableNode {
  return { name: device.name, tags: device.tags ?? [], labels: device.labels ?? {}, rack: device.rack ?? null, rackLabels: device.rackLabels ?? {} };
}

/** The image the design gives `node`: the first per-filter entry selecting it, else the default, else what it runs. */
export function imageFor(design: Design, node: FilterableNode, currentImage: string): string {
  const entry = design.nodeImages.find((candidate) => selectNodes(candidate.filter, [node]).length > 0);
  return entry?.image ?? design.defaultImage ?? currentImage;
}

/** The design's bootactions that target `node` (a bootaction without a target goes to every deployed node). */
export function bootactionsFor(design: Design, node: FilterableNode): readonly DesignBootaction[] {
  return design.bootactions.filter((action) => action.target === null || selectNodes(action.target, [node]).length > 0);
}
