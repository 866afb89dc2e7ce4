import { Ajv } from 'ajv';
import type { Design, DesignAsset, DesignBootaction, FilterableNode } from '../domain/design.js';
import { withoutNullCriteria } from '../domain/node-filter.js';
import { checkDesign } from './design-checks.js';
import { designError, designResult, checkPassed, type DesignDocumentRef, type DesignMessage, type DesignResult, type LinePos } from './design-messages.js';
import { DESIGN_DOCUMENT_SCHEMA, DESIGN_PATTERN_RULES, type DesignAssetDocument, type DesignBootactionDocument, type DesignDocument } from './design-schema.js';
import { schemaProblems, type SchemaProblem } from './schema-problems.js';

const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
const validateSchema = ajv.compile<DesignDocument>(DESIGN_DOCUMENT_SCHEMA);

/** What validating a parsed design needs besides its value. */
export type DesignValidationContext = {
  /** The `design_ref` it was loaded from. */
  readonly ref: string;
  readonly document: DesignDocumentRef;
  readonly locate: (path: readonly (string | number)[]) => LinePos | undefined;
  readonly nodes: readonly FilterableNode[];
  readonly knownImages: ReadonlySet<string>;
};

/** The file mode of an asset without `permissions`. */
export const DEFAULT_ASSET_PERMISSIONS = 0o600;

function hintFor(problem: SchemaProblem): string {
  if (problem.path.at(-1) === 'permissions' && problem.problem.startsWith('must be a string')) {
    return 'quote the mode, as in permissions: "0644" (YAML reads an unquoted 0644 as the number 644)';
  }
  return 'see docs/drydock-designs.md for the design format';
}

function toAsset(asset: DesignAssetDocument): DesignAsset {
  const template = asset.template !== undefined;
  return { path: asset.path, type: asset.type, permissions: Number.parseInt(asset.permissions ?? '0600', 8), data: asset.template ?? asset.data ?? '', template };
}

function toBootaction(action: DesignBootactionDocument): DesignBootaction {
  const target = action.node_filter == null ? null : withoutNullCriteria(action.node_filter);
  return { name: action.name, target, signaling: action.signaling ?? true, assets: action.assets.map(toAsset) };
}

/** A checked design document as the {@link Design} deploys use. */
export function toDesign(document: DesignDocument, ref: string): Design {
  return {
    ref,
    defaultImage: document.default_image ?? null,
    nodeImages: (document.node_images ?? []).map((entry) => ({ filter: withoutNullCriteria(entry.node_filter), image: entry.image })),
    bootactions: (document.bootactions ?? []).map(toBootaction),
  };
}

/** Checks a parsed design document against the schema, then the lab (images, node names) and itself (names, paths, templates). */
export function validateDesign(value: unknown, context: DesignValidationContext): DesignResult {
  const { document, locate } = context;
  if (!validateSchema(value)) {
    const messages: DesignMessage[] = schemaProblems(validateSchema.errors ?? [], '', DESIGN_PATTERN_RULES).map((problem) =>
      designError('DesignSchema', `${problem.field} ${problem.problem}`, { document, field: problem.field, at: locate(problem.path) }, hintFor(problem)),
    );
    return { ok: false, messages };
  }
  const checked = value;
  return designResult([checkPassed('DesignSchema', document), ...checkDesign(checked, context)], () => toDesign(checked, context.ref));
}
