import type { Design } from '../domain/design.js';

/**
 * Design validation messages in the shape of Drydock's validation messages: each names the check
 * that wrote it, its level, the documents it concerns (`{schema, name}`) and a diagnostic that says
 * where (the field, and the line of a YAML or JSON file) and how to fix it. Like Drydock, every check
 * that finds no error says so with an `Info` message.
 */

/** The schema name of labpool's design documents (their `schema` field). */
export const DESIGN_SCHEMA_NAME = 'labpool/Design/v1';

export type DesignMessageLevel = 'Error' | 'Warning' | 'Info';

/** A document a message concerns, as Drydock names documents. */
export type DesignDocumentRef = { readonly schema: string; readonly name: string };

export type DesignMessage = {
  /** `<check's long name>: <what>`, as Drydock prefixes its messages. */
  readonly message: string;
  /** True for `Error`: an error makes the design invalid; a warning does not. */
  readonly error: boolean;
  readonly level: DesignMessageLevel;
  /** The check's short name (see {@link DESIGN_CHECKS}). */
  readonly name: DesignCheck;
  readonly documents: readonly DesignDocumentRef[];
  /** Where (document, line, field) and how to fix it; '' when there is nothing to add. */
  readonly diagnostic: string;
};

/** A loaded design, or why none: `ok` is false exactly when some message is an error. */
export type DesignResult = { readonly ok: true; readonly design: Design; readonly messages: readonly DesignMessage[] } | { readonly ok: false; readonly messages: readonly DesignMessage[] };

/** Every check, by short name, with the long name its messages start with. */
export const DESIGN_CHECKS = {
  DesignReference: 'Design reference',
  DesignSyntax: 'Design syntax',
  DesignSchema: 'Design schema',
  AssetContent: 'Asset content',
  AssetTemplates: 'Asset templates',
  BootactionNames: 'Bootaction names',
  AssetPaths: 'Asset paths',
  DesignImages: 'Design images',
  FilterNodeNames: 'Filter node names',
} as const;

export type DesignCheck = keyof typeof DESIGN_CHECKS;

/** A line and column of a design file, both from 1. */
export type LinePos = { readonly line: number; readonly col: number };

/** Where a message points: the document, and the field and its line when known. */
export type DesignPlace = { readonly document: DesignDocumentRef; readonly field?: string; readonly at?: LinePos | undefined };

function diagnosticOf(place: DesignPlace, hint: string): string {
  const where = [place.document.name, place.at === undefined ? '' : `line ${place.at.line}, column ${place.at.col}`, place.field ?? ''].filter((part) => part !== '').join(', ');
  return hint === '' ? where : `${where}: ${hint}`;
}

function message(check: DesignCheck, level: DesignMessageLevel, text: string, place: DesignPlace, hint: string): DesignMessage {
  return { message: `${DESIGN_CHECKS[check]}: ${text}`, error: level === 'Error', level, name: check, documents: [place.document], diagnostic: diagnosticOf(place, hint) };
}

/** An error of `check`: the design cannot be used. */
export function designError(check: DesignCheck, text: string, place: DesignPlace, hint = ''): DesignMessage {
  return message(check, 'Error', text, place, hint);
}

/** A warning of `check`: worth a look, the design is still valid. */
export function designWarning(check: DesignCheck, text: string, place: DesignPlace, hint = ''): DesignMessage {
  return message(check, 'Warning', text, place, hint);
}

/** An informational message of `check`. */
export function designInfo(check: DesignCheck, text: string, document: DesignDocumentRef): DesignMessage {
  return { ...message(check, 'Info', text, { document }, ''), diagnostic: '' };
}

/** Drydock's closing message of a check that found no error. */
export function checkPassed(check: DesignCheck, document: DesignDocumentRef): DesignMessage {
  return designInfo(check, 'Validation successful.', document);
}

/** The result of `messages`: a design only when none is an error. */
export function designResult(messages: readonly DesignMessage[], design: () => Design): DesignResult {
  return messages.some((one) => one.error) ? { ok: false, messages } : { ok: true, design: design(), messages };
}
