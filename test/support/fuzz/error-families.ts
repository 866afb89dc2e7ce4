import { DIALECTS } from '../../../src/dialects/dialects.js';
import { errorFormattersByPrefix } from '../../../src/http/app.js';
import { formatProblem, httpError, isProblem, selectErrorFormatter, type ErrorFormatter, type ErrorShape } from '../../../src/http/errors.js';

/** How one API family answers a failure: what the fuzzer expects of every error under its paths. */
export interface ErrorFamily {
  readonly name: string;
  readonly formatError: ErrorFormatter;
  readonly isErrorBody: ErrorShape;
}

/** labpool's own endpoints, outside every family's prefixes. */
const LABPOOL_FAMILY: ErrorFamily = { name: 'labpool', formatError: formatProblem, isErrorBody: isProblem };

const FAMILIES: readonly ErrorFamily[] = [...DIALECTS, LABPOOL_FAMILY];

/** The family that owns a raw request path, chosen the way the app's error path chooses its formatter. */
export function errorFamilyOf(rawPath: string): ErrorFamily {
  const formatter = selectErrorFormatter(rawPath, errorFormattersByPrefix, formatProblem);
  return FAMILIES.find((family) => family.formatError === formatter) ?? LABPOOL_FAMILY;
}

/** The media type (without parameters) of the family's error bodies for `status`. */
export function errorContentTypeOf(family: ErrorFamily, status: number): string {
  return family.formatError(httpError(status)).contentType;
}
