import type { ErrorObject } from 'ajv';

/** One thing wrong with a document, as its schema found it. */
export type SchemaProblem = {
  /** Where, as keys and indexes from the document's root (what a YAML locator needs). */
  readonly path: readonly (string | number)[];
  /** `bootactions[0].assets[1].path`, or `root` for the document itself. */
  readonly field: string;
  /** What is wrong, without the field's name. */
  readonly problem: string;
};

/** Hints for `pattern` failures, by the pattern itself: ajv would only echo the regular expression. */
export type PatternRules = Readonly<Record<string, string>>;

/** `bootactions`, `0`, `path` → `bootactions[0].path`. */
export function fieldName(root: string, path: readonly (string | number)[]): string {
  const field = path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${segment}`)).join('');
  return root === '' ? field.replace(/^\./, '') || 'the document' : `${root}${field}`;
}

function pathOf(instancePath: string, child?: unknown): (string | number)[] {
  const segments: (string | number)[] = instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
  if (typeof child === 'string') segments.push(child);
  return segments;
}

function describe(error: ErrorObject, patterns: PatternRules): { child?: unknown; problem: string } | undefined {
  const { keyword, params } = error;
  switch (keyword) {
    case 'required':
      return { child: params['missingProperty'], problem: 'is required' };
    case 'additionalProperties':
      return { child: params['additionalProperty'], problem: 'is not a known field' };
    case 'enum':
      return { problem: `must be one of ${(params['allowedValues'] as unknown[]).map((value) => JSON.stringify(value)).join(', ')}` };
    case 'const':
      return { problem: `must be ${JSON.stringify(params['allowedValue'])}` };
    case 'type':
      return { problem: `must be ${/^[aeiou]/.test(String(params['type'])) ? 'an' : 'a'} ${String(params['type']).replace(',', ' or ')}` };
    case 'pattern':
      return { problem: patterns[String(params['pattern'])] ?? `must match ${String(params['pattern'])}` };
    case 'minItems':
      return { problem: Number(params['limit']) === 1 ? 'must not be empty' : `must have at least ${String(params['limit'])} items` };
    case 'maxItems':
      return { problem: `must have at most ${String(params['limit'])} items` };
    case 'minLength':
      return { problem: Number(params['limit']) === 1 ? 'must not be empty' : `must be at least ${String(params['limit'])} characters long` };
    case 'maxLength':
      return { problem: `must be at most ${String(params['limit'])} characters long` };
    case 'oneOf':
    case 'anyOf':
    case 'if':
      // The branch's own errors say what is wrong; the summary adds nothing.
      return undefined;
    default:
      return { problem: error.message ?? 'is invalid' };
  }
}

/**
 * ajv's errors as one problem per field, deduplicated, in document order. `root` prefixes field
 * names (`node_filter` for a request body); '' names fields from the document's root.
 */
export function schemaProblems(errors: readonly ErrorObject[], root: string, patterns: PatternRules = {}): SchemaProblem[] {
  const seen = new Set<string>();
  const problems: SchemaProblem[] = [];
  for (const error of errors) {
    const described = describe(error, patterns);
    if (described === undefined) continue;
    const path = pathOf(error.instancePath, described.child);
    const field = fieldName(root, path);
    const key = `${field} ${described.problem}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ path, field, problem: described.problem });
  }
  return problems;
}
