import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { FilterableNode } from '../domain/design.js';
import { DESIGN_SCHEMA_NAME, designError, designInfo, type DesignDocumentRef, type DesignResult } from './design-messages.js';
import { parseDesignText, type ParsedDesignText } from './design-parse.js';
import { validateDesign } from './design-validate.js';

/** The design of the lab as it is: every device, each keeping its current image, no bootactions. */
export const LABPOOL_INVENTORY_REF = 'labpool:inventory';

/** `file://<name>`: a file under the design folder. */
export const FILE_REF_PREFIX = 'file://';

/** Design files larger than this are refused unread. */
export const MAX_DESIGN_FILE_BYTES = 1_048_576;

export type DesignLoaderOptions = {
  /** Where `file://<name>` references are read from (config `drydock.designFolder`). */
  readonly designFolder: string;
  /** The lab's devices as node filters see them, read at each load. */
  readonly nodes: () => readonly FilterableNode[];
  /** The images the lab knows, read at each load. */
  readonly knownImages: () => ReadonlySet<string>;
};

/** Loads and validates the design a `design_ref` names; never throws for a bad reference or file. */
export interface DesignLoader {
  load(ref: string): Promise<DesignResult>;
}

type Refusal = { readonly ok: false; readonly reason: string; readonly hint: string };
type Read = { readonly ok: true; readonly text: string } | Refusal;

const refused = (reason: string, hint = ''): Refusal => ({ ok: false, reason, hint });

/** What is wrong with the name of a `file://` reference, or undefined. */
function nameProblem(name: string): string | undefined {
  if (name === '') return 'names no file';
  if (name.startsWith('/')) return 'is an absolute path; name a file under the design folder';
  if (name.includes('\0')) return 'contains a NUL character';
  if (name.split(/[/\\]/).includes('..')) return 'climbs out with ".."';
  return undefined;
}

async function realFile(folder: string, name: string): Promise<Refusal | { readonly ok: true; readonly path: string }> {
  let root: string;
  try {
    root = await realpath(folder);
  } catch {
    return refused('the design folder does not exist', 'set drydock.designFolder to an existing folder');
  }
  try {
    const path = await realpath(join(root, name));
    if (!path.startsWith(root + sep)) return refused(`"${name}" resolves outside the design folder`, 'a link in the design folder must stay inside it');
    return { ok: true, path };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR'
      ? refused(`there is no design file "${name}" in the design folder`, 'put the file in the design folder')
      : refused(`"${name}" cannot be read (${code ?? 'error'})`);
  }
}

async function readDesignFile(folder: string, name: string): Promise<Read> {
  const found = await realFile(folder, name);
  if (!found.ok) return found;
  // The resolved path has no links left: refuse one swapped in since rather than follow it.
  const handle = await open(found.path, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => undefined);
  if (handle === undefined) return refused(`"${name}" cannot be opened`);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return refused(`"${name}" is not a file`);
    if (stat.size > MAX_DESIGN_FILE_BYTES) return refused(`"${name}" is ${stat.size} bytes, more than the ${MAX_DESIGN_FILE_BYTES} bytes a design may have`, 'split the design or shorten its assets');
    // A deploy loads its design once per node: no 1 MiB buffer each time. One byte more tells a file that grew since the stat.
    const buffer = Buffer.allocUnsafe(stat.size + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > stat.size) return refused(`"${name}" changed while it was read`, 'try again once the file is written');
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, bytesRead)) };
  } catch (error) {
    return error instanceof TypeError ? refused(`"${name}" is not UTF-8 text`) : refused(`"${name}" cannot be read`);
  } finally {
    await handle.close();
  }
}

function refusedRef(ref: string): string {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(ref)?.[1];
  if (scheme === undefined) return `"${ref}" is no design reference: use ${LABPOOL_INVENTORY_REF} or ${FILE_REF_PREFIX}<name>`;
  return `labpool fetches no remote designs: "${scheme}:" references are refused; put the design in the design folder and use ${FILE_REF_PREFIX}<name>, or use ${LABPOOL_INVENTORY_REF}`;
}

/** How many design files keep their parsed text. */
const PARSED_FILES_KEPT = 16;

/**
 * Parses a design file's text, or answers the parse of the same text last time: a deploy loads its
 * design once per node, and parsing its YAML took a fifth of a 100-node deploy's CPU (bench, drydock section).
 * The text is read each time, so an edited file is parsed again.
 */
function createParseCache(): (name: string, text: string, document: DesignDocumentRef) => ParsedDesignText {
  const kept = new Map<string, { readonly text: string; readonly parsed: ParsedDesignText }>();
  return (name, text, document) => {
    const hit = kept.get(name);
    if (hit?.text === text) return hit.parsed;
    const parsed = parseDesignText(text, name.toLowerCase().endsWith('.json') ? 'json' : 'yaml', document);
    kept.delete(name);
    kept.set(name, { text, parsed });
    const oldest = kept.keys().next().value;
    if (kept.size > PARSED_FILES_KEPT && oldest !== undefined) kept.delete(oldest);
    return parsed;
  };
}

/** Loads designs by reference: `labpool:inventory`, or `file://<name>` (JSON when it ends in `.json`, else YAML). */
export function createDesignLoader(options: DesignLoaderOptions): DesignLoader {
  const documentOf = (name: string): DesignDocumentRef => ({ schema: DESIGN_SCHEMA_NAME, name });
  const fail = (ref: string, reason: string, hint = ''): DesignResult => ({ ok: false, messages: [designError('DesignReference', reason, { document: documentOf(ref) }, hint)] });
  const parse = createParseCache();
  return {
    async load(ref) {
      if (ref === LABPOOL_INVENTORY_REF) {
        const count = options.nodes().length;
        const info = designInfo('DesignReference', `${ref}: the lab's ${count} devices, each keeping its current image, without bootactions`, documentOf(ref));
        return { ok: true, design: { ref, defaultImage: null, nodeImages: [], bootactions: [] }, messages: [info] };
      }
      if (!ref.startsWith(FILE_REF_PREFIX)) return fail(ref, refusedRef(ref));
      const name = ref.slice(FILE_REF_PREFIX.length);
      const problem = nameProblem(name);
      if (problem !== undefined) return fail(ref, `${ref} ${problem}`);
      const read = await readDesignFile(options.designFolder, name);
      if (!read.ok) return fail(ref, read.reason, read.hint);
      const document = documentOf(name);
      const parsed = parse(name, read.text, document);
      if (!parsed.ok) return { ok: false, messages: parsed.messages };
      const result = validateDesign(parsed.value, { ref, document, locate: parsed.locate, nodes: options.nodes(), knownImages: options.knownImages() });
      return { ...result, messages: [...parsed.warnings, ...result.messages] };
    },
  };
}
