/**
 * Drydock's site design as labpool reads it: which image each node gets and the bootactions a deploy
 * hands its nodes. A task names its design by `design_ref`: `labpool:inventory` (the lab's current
 * inventory, no bootactions) or `file://<name>` under the configured design folder (JSON or YAML).
 */

/** One criterion set of Drydock's node filter; an absent or empty criterion is ignored. */
export type NodeFilter = {
  /** How the criteria present combine: every one must match (`intersection`) or any (`union`). */
  readonly filter_type: 'union' | 'intersection';
  readonly node_names?: readonly string[];
  readonly node_tags?: readonly string[];
  readonly node_labels?: Readonly<Record<string, string>>;
  readonly rack_names?: readonly string[];
  readonly rack_labels?: Readonly<Record<string, string>>;
};

/** Drydock's `node_filter`: filters combined by `filter_set_type`; a null filter selects every node. */
export type NodeFilterSet = {
  readonly filter_set_type: 'union' | 'intersection';
  readonly filter_set: readonly NodeFilter[];
};

/** What a node filter selects on: a labpool device as Drydock sees it. */
export type FilterableNode = {
  readonly name: string;
  readonly tags: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly rack: string | null;
  readonly rackLabels: Readonly<Record<string, string>>;
};

/** One file of a bootaction, rendered per node and served in the node's `units` or `files` tarball. */
export type DesignAsset = {
  /** Absolute path on the node: the tar entry name. */
  readonly path: string;
  readonly type: 'unit' | 'file';
  /** File mode (default 0o600). */
  readonly permissions: number;
  /** Inline text, or a template rendered with the node's variables when `template` is true. */
  readonly data: string;
  readonly template: boolean;
};

export type DesignBootaction = {
  readonly name: string;
  /** The nodes it applies to, among those a deploy deploys; null: all of them. */
  readonly target: NodeFilterSet | null;
  /** Whether the node reports the outcome (a deploy waits for it); otherwise it stays `unreported`. */
  readonly signaling: boolean;
  readonly assets: readonly DesignAsset[];
};

/** Which image nodes get: the first entry whose filter selects the node wins, else `defaultImage`. */
export type DesignNodeImage = { readonly filter: NodeFilterSet; readonly image: string };

export type Design = {
  /** The `design_ref` it was loaded from. */
  readonly ref: string;
  /** Image of nodes no `nodeImages` entry selects; null: the node's current image. */
  readonly defaultImage: string | null;
  readonly nodeImages: readonly DesignNodeImage[];
  readonly bootactions: readonly DesignBootaction[];
};
