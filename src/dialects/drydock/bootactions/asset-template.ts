/**
 * Asset templates: `{{ name }}` placeholders (spaces inside the braces optional) replaced by a node's
 * and an action's values. Only the names of {@link TEMPLATE_VARIABLES} exist; there is no other syntax.
 */

export const TEMPLATE_VARIABLES = [
  'node.hostname',
  'node.fqdn',
  'node.mac',
  'node.image',
  'node.rack',
  'action.action_id',
  'action.action_name',
  'action.action_key',
  'action.report_url',
  'labpool.url',
] as const;

export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

/** The value of every variable for one node and one action; `node.rack` of a node in no rack is ''. */
export type TemplateValues = Readonly<Record<TemplateVariable, string>>;

export type RenderedTemplate = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly unknown: readonly string[] };

const PLACEHOLDER = /\{\{ *([^{}]*?) *\}\}/g;
const KNOWN: ReadonlySet<string> = new Set(TEMPLATE_VARIABLES);

/** The names of the placeholders of `text`, in order, repeats included. */
export function templatePlaceholders(text: string): readonly string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}

/** `text` with each placeholder replaced; refused, naming them, when a placeholder names no variable. */
export function renderAssetTemplate(text: string, values: TemplateValues): RenderedTemplate {
  const unknown = [...new Set(templatePlaceholders(text).filter((name) => !KNOWN.has(name)))];
  if (unknown.length > 0) return { ok: false, unknown };
  return { ok: true, text: text.replace(PLACEHOLDER, (_match, name: string) => values[name as TemplateVariable]) };
}
