/**
 * Rendering asset templates for one node and one action. The rule itself (what a placeholder is,
 * which names exist, that every `{{` must open one) lives in the design's template check, so a design
 * that validates renders and one that does not is refused for the same reason in both places.
 */
import { renderScannedTemplate, scanTemplate, type TemplateVariable } from '../design/template-check.js';

export { TEMPLATE_VARIABLES, type TemplateVariable } from '../design/template-check.js';

/** The value of every variable for one node and one action; `node.rack` of a node in no rack is ''. */
export type TemplateValues = Readonly<Record<TemplateVariable, string>>;

export type RenderedTemplate = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly problems: readonly string[] };

/** `text` with each placeholder replaced; refused, with every problem of the template, when it has any. */
export function renderAssetTemplate(text: string, values: TemplateValues): RenderedTemplate {
  const scan = scanTemplate(text);
  if (scan.problems.length > 0) return { ok: false, problems: scan.problems };
  return { ok: true, text: renderScannedTemplate(text, scan, values) };
}
