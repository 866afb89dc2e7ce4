import { parseArgs } from 'node:util';
import type { CliIo } from './cli-io.js';
import { AUDIT_KINDS } from '../dialects/dialects.js';
import { parseAuditQuery } from '../projections/audit/audit-query.js';
import type { AuditAnswer } from '../projections/audit/audit-replay.js';
import { formatAuditAnswer } from './history-format.js';
import { queryServer, queryStore } from './history-source.js';
import { DEFAULT_SERVER_URL } from './server-url.js';

const usage = 'usage: labpool history device <name> | request <id>  [--at <ISO time> | --from <ISO time> --to <ISO time>] [--json] [--server URL | --store <sqlite file | esdb URL>]';

const options = {
  at: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  server: { type: 'string' },
  store: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

type HistoryValues = ReturnType<typeof parseArgs<{ args: string[]; options: typeof options; allowPositionals: true }>>['values'];

function fetchAnswer(values: HistoryValues, category: string, rawId: string, signal: AbortSignal): Promise<AuditAnswer> {
  const kind = AUDIT_KINDS.get(category);
  if (kind === undefined) throw new Error(`unknown kind '${category}'\n${usage}`);
  const id = kind.parseId(rawId);
  if (id === undefined) throw new Error(kind.describeBadId(rawId));
  const parsed = parseAuditQuery(values);
  if (!parsed.ok) throw new Error(parsed.message);
  if (values.store !== undefined && values.server !== undefined) throw new Error('give --server or --store, not both');
  if (values.store !== undefined) return queryStore(values.store, kind, id, parsed.query);
  return queryServer(values.server ?? DEFAULT_SERVER_URL, kind, id, parsed.query, signal);
}

/**
 * `labpool history device <name>` / `request <id>`: a stream's events, or with `--at` its state then,
 * from a running server's history route or, with `--store`, replayed in this process.
 */
export async function runHistory(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseArgs({ args, options, allowPositionals: true });
  const [category, rawId, ...extra] = positionals;
  if (category === undefined || rawId === undefined || extra.length > 0) throw new Error(usage);
  const answer = await fetchAnswer(values, category, rawId, io.stop);
  const lines = values.json ? [JSON.stringify(answer, null, 2)] : formatAuditAnswer(`${category} ${rawId}`, answer);
  io.stdout(`${lines.join('\n')}\n`);
}
