import type { AuditKind } from '../projections/audit/audit-kinds.js';
import { queryAudit, type AuditAnswer, type AuditQuery } from '../projections/audit/audit-replay.js';
import { isoUtc } from '../projections/lab/event-time.js';
import { openLabStore } from '../lab/lab-store.js';
import { storeConfigOf } from './store-option.js';
import { describeFailure, serverUrl } from './server-url.js';

/** The answer replayed in this process, straight from the store, with the same fold as the server's route. */
export async function queryStore(option: string, kind: AuditKind, id: string, query: AuditQuery): Promise<AuditAnswer> {
  const store = openLabStore(storeConfigOf(option));
  try {
    const answer = await queryAudit(store, kind, id, query);
    if (answer === undefined) throw new Error(`${kind.category} ${id} not found`);
    return answer;
  } finally {
    await store.close();
  }
}

function historyUrl(server: string, kind: AuditKind, id: string, query: AuditQuery): URL {
  const params = new URLSearchParams();
  const { atMs, window } = query;
  if (atMs !== undefined) params.set('at', isoUtc(atMs));
  if (window?.fromMs !== undefined) params.set('from', isoUtc(window.fromMs));
  if (window?.toMs !== undefined) params.set('to', isoUtc(window.toMs));
  return serverUrl(server, `/api/${kind.category}/${encodeURIComponent(id)}/history/?${params.toString()}`);
}

/** The answer of a running server's history route; a refusal becomes the thrown message. */
export async function queryServer(server: string, kind: AuditKind, id: string, query: AuditQuery, signal?: AbortSignal): Promise<AuditAnswer> {
  const url = historyUrl(server, kind, id, query);
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(await describeFailure(url, response));
  return (await response.json()) as AuditAnswer;
}
