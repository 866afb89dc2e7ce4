/** What one family was sent and how it answered. */
export interface FamilyStats {
  sent: number;
  /** Requests certainly malformed (the rest may be valid by accident). */
  mustFail: number;
  /** Answered 2xx or 3xx: maybe-valid requests the family took. */
  accepted: number;
  readonly statuses: Map<number, number>;
}

export function createFamilyStats(): FamilyStats {
  return { sent: 0, mustFail: 0, accepted: 0, statuses: new Map() };
}

export function countReply(stats: FamilyStats, status: number | undefined, mustFail: boolean): void {
  stats.sent++;
  if (mustFail) stats.mustFail++;
  if (status !== undefined && status < 400) stats.accepted++;
  const key = status ?? 0;
  stats.statuses.set(key, (stats.statuses.get(key) ?? 0) + 1);
}

/** One line per family: `mozpool: 2400 sent (1700 certainly malformed, 12 taken) 400×900 404×1300 …`; status 0 is no reply. */
export function formatFamilyStats(families: ReadonlyMap<string, FamilyStats>): string {
  return [...families]
    .map(([name, stats]) => {
      const histogram = [...stats.statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`);
      return `${name}: ${stats.sent} sent (${stats.mustFail} certainly malformed, ${stats.accepted} taken) ${histogram.join(' ')}`;
    })
    .join('\n');
}
