/**
 * The one template rule of design assets (shared by validation here and rendering in the bootaction
 * code): text with `{{ name }}` placeholders, spaces inside the braces optional, names from a fixed
 * list. Nothing else is syntax: no filters, loops or escapes, so every `{{` must open a placeholder.
 */

/** The names a placeholder may use. */
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

const KNOWN: ReadonlySet<string> = new Set(TEMPLATE_VARIABLES);

/** `{{`, optional spaces, a name (no braces or whitespace), optional spaces, `}}`; sticky: tried where a `{{` starts. */
const PLACEHOLDER = /\{\{ *([^{}\s]+) *\}\}/y;

/** One `{{ name }}` in a template: where it starts and how long it is, in UTF-16 units. */
export type Placeholder = { readonly name: TemplateVariable; readonly index: number; readonly length: number };

/** A template's placeholders, or what is wrong with it. */
export type TemplateScan = { readonly placeholders: readonly Placeholder[]; readonly problems: readonly string[] };

function lineAndColumn(text: string, index: number): string {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return `line ${line}, column ${index - before.lastIndexOf('\n')}`;
}

/** Finds every placeholder of `text`; an unknown name or a `{{` that opens none is a problem (with its line). */
export function scanTemplate(text: string): TemplateScan {
  const placeholders: Placeholder[] = [];
  const problems: string[] = [];
  let index = text.indexOf('{{');
  while (index >= 0) {
    PLACEHOLDER.lastIndex = index;
    const match = PLACEHOLDER.exec(text);
    const name = match?.[1];
    if (match === null || name === undefined) {
      problems.push(`"{{" at ${lineAndColumn(text, index)} opens no placeholder: write {{ name }} with one of ${TEMPLATE_VARIABLES.join(', ')}`);
      index = text.indexOf('{{', index + 2);
      continue;
    }
    if (KNOWN.has(name)) placeholders.push({ name: name as TemplateVariable, index, length: match[0].length });
    else problems.push(`unknown placeholder {{ ${name} }} at ${lineAndColumn(text, index)}: the names are ${TEMPLATE_VARIABLES.join(', ')}`);
    index = text.indexOf('{{', index + match[0].length);
  }
  return { placeholders, problems };
}

/** What is wrong with a template's text; empty when it renders. */
export function templateProblems(text: string): string[] {
  return [...scanTemplate(text).problems];
}

/** Renders a template whose scan found no problem: each placeholder replaced by its variable's value. */
export function renderScannedTemplate(text: string, scan: TemplateScan, values: Readonly<Record<TemplateVariable, string>>): string {
  let rendered = '';
  let from = 0;
  for (const placeholder of scan.placeholders) {
    rendered += text.slice(from, placeholder.index) + values[placeholder.name];
    from = placeholder.index + placeholder.length;
  }
  return rendered + text.slice(from);
}
