import { errorContentTypeOf, errorFamilyOf } from './error-families.js';
import type { FuzzCase } from './fuzz-cases.js';
import type { RawReply } from './raw-http.js';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * What is wrong with the answer to one fuzzed request, if anything: a dropped connection, a 5xx, a
 * success for a request that must fail, or an error that is not in its family's media type and shape.
 */
export function findProblem(fuzzCase: FuzzCase, reply: RawReply): string | undefined {
  if (!reply.ok) return reply.failure;
  const { status } = reply;
  if (status >= 500) return `server error ${status}`;
  if (fuzzCase.mustFail && (status < 400 || status >= 500)) return `malformed but answered ${status}`;
  if (status < 400) return undefined;
  const family = errorFamilyOf(fuzzCase.rawPath);
  const contentType = errorContentTypeOf(family, status);
  if (!reply.contentType.startsWith(contentType)) return `${status} as "${reply.contentType}", not ${family.name}'s ${contentType}`;
  // A family whose errors are plain text (Commissaire's reason phrases) is checked on the text itself.
  const body = contentType.includes('json') ? parseJson(reply.body) : reply.body;
  if (!family.isErrorBody(body, status)) return `${status} not in ${family.name}'s error shape`;
  return undefined;
}
