import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { designError, designWarning, type DesignDocumentRef, type DesignMessage, type LinePos } from './design-messages.js';

/** A design file's text as a value, with a way back to the line of any of its fields. */
export type ParsedDesignText =
  | { readonly ok: true; readonly value: unknown; readonly warnings: readonly DesignMessage[]; readonly locate: (path: readonly (string | number)[]) => LinePos | undefined }
  | { readonly ok: false; readonly messages: readonly DesignMessage[] };

/** Aliases one document may expand: YAML's aliases could otherwise multiply a 1 MiB file without bound. */
const MAX_ALIAS_COUNT = 100;

function locator(doc: Document, lines: LineCounter): (path: readonly (string | number)[]) => LinePos | undefined {
  return (path) => {
    // A missing field has no node: its nearest existing parent says where it belongs.
    for (let length = path.length; length >= 0; length -= 1) {
      const node: unknown = length === 0 ? doc.contents : doc.getIn(path.slice(0, length), true);
      if (isNode(node) && node.range !== undefined && node.range !== null) return lines.linePos(node.range[0]);
    }
    return undefined;
  };
}

function lineOfOffset(text: string, offset: number): LinePos {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, col: offset - before.lastIndexOf('\n') };
}

function parseJson(text: string, document: DesignDocumentRef): { ok: true; value: unknown } | { ok: false; messages: DesignMessage[] } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const offset = /position (\d+)/.exec(reason)?.[1];
    const at = offset === undefined ? undefined : lineOfOffset(text, Number(offset));
    return { ok: false, messages: [designError('DesignSyntax', `the file is not valid JSON: ${reason}`, { document, at }, 'fix the JSON syntax')] };
  }
}

/**
 * Parses a design file: JSON for `json`, YAML (1.2, one document, unique keys) for `yaml`. Syntax
 * errors come back as `DesignSyntax` messages with their line; YAML's warnings (an unknown tag) as warnings.
 */
export function parseDesignText(text: string, format: 'json' | 'yaml', document: DesignDocumentRef): ParsedDesignText {
  const lines = new LineCounter();
  try {
    // A JSON file is also YAML: the YAML tree gives the lines of its fields.
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const locate = locator(doc, lines);
    const at = (pos: readonly [number, number]) => lines.linePos(pos[0]);
    if (format === 'json') {
      const parsed = parseJson(text, document);
      return parsed.ok ? { ok: true, value: parsed.value, warnings: [], locate } : parsed;
    }
    const errors = doc.errors.map((error) => designError('DesignSyntax', `the file is not valid YAML: ${error.message}`, { document, at: at(error.pos) }, 'fix the YAML syntax'));
    if (errors.length > 0) return { ok: false, messages: errors };
    const warnings = doc.warnings.map((warning) => designWarning('DesignSyntax', warning.message, { document, at: at(warning.pos) }));
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown, warnings, locate };
  } catch (error) {
    // Too many aliases, or nesting deeper than the parser's stack.
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, messages: [designError('DesignSyntax', `the file cannot be read as ${format.toUpperCase()}: ${reason}`, { document })] };
  }
}
