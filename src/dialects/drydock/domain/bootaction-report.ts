import type { Json } from '../../../domain/json.js';
import type { BootactionDetail, BootactionOutcome } from './bootaction-events.js';

/** A report body as Drydock takes it: an optional final status and the detail messages. */
export type BootactionReportBody = { readonly status: BootactionOutcome | null; readonly details: readonly BootactionDetail[] };

export type ReportBodyCheck = { readonly ok: true; readonly report: BootactionReportBody } | { readonly ok: false; readonly message: string };

const STATUSES: Readonly<Record<string, BootactionOutcome>> = { Success: 'success', success: 'success', Failure: 'failure', failure: 'failure' };
/** Drydock fills these itself when it files a detail on the task: a node may not send them. */
const RESERVED = ['context', 'context_type', 'ts'];
const TOP_LEVEL = new Set(['status', 'details']);

function isRecord(value: unknown): value is Readonly<Record<string, Json>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const bad = (message: string): ReportBodyCheck => ({ ok: false, message });

/**
 * Checks a report body: `status` (optional) one of Success/Failure/success/failure; `details`
 * (optional) an array of objects each with a string `message` and a boolean `error`, other fields
 * kept; the reserved `context`, `context_type` and `ts` nowhere; no other top-level keys.
 */
export function checkReportBody(body: unknown): ReportBodyCheck {
  if (!isRecord(body)) return bad('the body must be a JSON object');
  const reserved = RESERVED.find((key) => key in body);
  if (reserved !== undefined) return bad(`${reserved} is reserved`);
  const unknown = Object.keys(body).find((key) => !TOP_LEVEL.has(key));
  if (unknown !== undefined) return bad(`unknown field ${unknown}: a report has only status and details`);
  let status: BootactionOutcome | null = null;
  if ('status' in body) {
    const given = body.status;
    const outcome = typeof given === 'string' ? STATUSES[given] : undefined;
    if (outcome === undefined) return bad('status must be one of Success, Failure, success, failure');
    status = outcome;
  }
  const details = 'details' in body ? checkDetails(body.details) : { ok: true as const, details: [] };
  return details.ok ? { ok: true, report: { status, details: details.details } } : bad(details.message);
}

function checkDetails(value: Json | undefined): { readonly ok: true; readonly details: readonly BootactionDetail[] } | { readonly ok: false; readonly message: string } {
  if (!Array.isArray(value)) return { ok: false, message: 'details must be an array' };
  const details: BootactionDetail[] = [];
  for (const [index, item] of (value as readonly Json[]).entries()) {
    const where = `details[${index}]`;
    if (!isRecord(item)) return { ok: false, message: `${where} must be an object` };
    if (typeof item.message !== 'string') return { ok: false, message: `${where}.message must be a string` };
    if (typeof item.error !== 'boolean') return { ok: false, message: `${where}.error must be a boolean` };
    const reserved = RESERVED.find((key) => key in item);
    if (reserved !== undefined) return { ok: false, message: `${where}.${reserved} is reserved` };
    const { message, error, ...extra } = item;
    details.push({ message, error, extra });
  }
  return { ok: true, details };
}
