import type { FilterableNode, NodeFilterSet } from '../domain/design.js';
import { namedNodes, selectNodes } from '../domain/node-filter.js';
import { checkPassed, designError, designWarning, type DesignCheck, type DesignDocumentRef, type DesignMessage, type LinePos } from './design-messages.js';
import type { DesignDocument } from './design-schema.js';
import { fieldName } from './schema-problems.js';
import { templateProblems } from './template-check.js';

/** What the checks beyond the schema look at besides the document. */
export type DesignCheckContext = {
  readonly document: DesignDocumentRef;
  /** The line of a field, by its path from the document's root; undefined when unknown. */
  readonly locate: (path: readonly (string | number)[]) => LinePos | undefined;
  readonly nodes: readonly FilterableNode[];
  readonly knownImages: ReadonlySet<string>;
};

type Path = readonly (string | number)[];
type Found = { readonly path: Path; readonly text: string; readonly hint?: string; readonly warning?: boolean };
type Check = (design: DesignDocument, context: DesignCheckContext) => Found[];

const assetsOf = (design: DesignDocument) => (design.bootactions ?? []).flatMap((action, i) => action.assets.map((asset, j) => ({ asset, action: i, path: ['bootactions', i, 'assets', j] as Path })));

const assetContent: Check = (design) =>
  assetsOf(design).flatMap(({ asset, path }) => {
    const given = [asset.data, asset.template].filter((text) => text !== undefined).length;
    if (given === 1) return [];
    return [{ path, text: `${fieldName('', path)} ${given === 0 ? 'has neither' : 'has both'} "data" and "template"`, hint: 'give inline text in "data" or a template in "template", one of the two' }];
  });

const assetTemplates: Check = (design) =>
  assetsOf(design).flatMap(({ asset, path }) =>
    templateProblems(asset.template ?? '').map((problem) => ({ path: [...path, 'template'], text: `${fieldName('', [...path, 'template'])}: ${problem}` })),
  );

const bootactionNames: Check = (design) => {
  const first = new Map<string, number>();
  return (design.bootactions ?? []).flatMap((action, i) => {
    const earlier = first.get(action.name);
    if (earlier === undefined) first.set(action.name, i);
    return earlier === undefined
      ? []
      : [{ path: ['bootactions', i, 'name'], text: `bootactions[${i}].name "${action.name}" repeats bootactions[${earlier}].name`, hint: 'bootaction names are unique in a design' }];
  });
};

/** The nodes a bootaction reaches: `all` (every deployed node) or those its filter selects. */
const reach = (filter: NodeFilterSet | null | undefined, nodes: readonly FilterableNode[]): 'all' | ReadonlySet<string> => (filter == null ? 'all' : new Set(selectNodes(filter, nodes)));

/** Why two bootactions' assets meet on a node (`both reach node n1`), or undefined when they never do. */
function sharedNode(a: 'all' | ReadonlySet<string>, b: 'all' | ReadonlySet<string>): string | undefined {
  if (a === 'all' && b === 'all') return 'both reach every deployed node';
  const [some, other] = a === 'all' ? [b as ReadonlySet<string>, a] : [a, b];
  const node = [...some].find((name) => other === 'all' || other.has(name));
  return node === undefined ? undefined : `both reach node ${node}`;
}

const assetPaths: Check = (design, { nodes }) => {
  const reaches = (design.bootactions ?? []).map((action) => reach(action.node_filter, nodes));
  const seen = new Map<string, { action: number; path: Path }[]>();
  return assetsOf(design).flatMap(({ asset, action, path }) => {
    const before = seen.get(asset.path) ?? [];
    seen.set(asset.path, [...before, { action, path }]);
    for (const other of before) {
      const node = other.action === action ? 'the same bootaction' : sharedNode(reaches[other.action]!, reaches[action]!);
      if (node !== undefined)
        return [
          { path: [...path, 'path'], text: `${fieldName('', [...path, 'path'])} "${asset.path}" is also ${fieldName('', [...other.path, 'path'])} (${node})`, hint: 'a node gets one asset per path' },
        ];
    }
    return [];
  });
};

const designImages: Check = (design, { knownImages }) => {
  const images: [Path, string | null | undefined][] = [
    [['default_image'], design.default_image],
    ...(design.node_images ?? []).map((entry, i): [Path, string] => [['node_images', i, 'image'], entry.image]),
  ];
  const known = [...knownImages].sort().join(', ');
  return images.flatMap(([path, image]) =>
    image == null || knownImages.has(image) ? [] : [{ path, text: `${fieldName('', path)} "${image}" is not an image of this lab`, hint: `the lab's images: ${known}` }],
  );
};

const filterNodeNames: Check = (design, { nodes }) => {
  const devices = new Set(nodes.map((node) => node.name));
  const filters: [Path, NodeFilterSet | null | undefined][] = [
    ...(design.node_images ?? []).map((entry, i): [Path, NodeFilterSet] => [['node_images', i, 'node_filter'], entry.node_filter]),
    ...(design.bootactions ?? []).map((action, i): [Path, NodeFilterSet | null | undefined] => [['bootactions', i, 'node_filter'], action.node_filter]),
  ];
  return filters.flatMap(([path, filter]) =>
    namedNodes(filter ?? null)
      .filter((name) => !devices.has(name))
      .map((name) => ({ path, text: `${fieldName('', path)} names "${name}", which is no device of this lab`, hint: 'an unknown name selects nothing', warning: true })),
  );
};

const CHECKS: readonly (readonly [DesignCheck, Check])[] = [
  ['AssetContent', assetContent],
  ['AssetTemplates', assetTemplates],
  ['BootactionNames', bootactionNames],
  ['AssetPaths', assetPaths],
  ['DesignImages', designImages],
  ['FilterNodeNames', filterNodeNames],
];

/** Every check beyond the schema on a document the schema accepted; a check without errors closes with an `Info`. */
export function checkDesign(design: DesignDocument, context: DesignCheckContext): DesignMessage[] {
  return CHECKS.flatMap(([check, run]) => {
    const messages = run(design, context).map((found) => {
      const place = { document: context.document, field: fieldName('', found.path), at: context.locate(found.path) };
      return found.warning === true ? designWarning(check, found.text, place, found.hint) : designError(check, found.text, place, found.hint);
    });
    return messages.some((one) => one.error) ? messages : [...messages, checkPassed(check, context.document)];
  });
}
