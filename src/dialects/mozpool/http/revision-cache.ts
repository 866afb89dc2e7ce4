/** Answers kept by key while the revision they were built at is current. */
export interface RevisionCache {
  /** The answer for `key` at `revision`, built (and kept) when missing or older; never kept for an undefined revision. */
  get(key: string, revision: number | undefined, build: () => string): string;
}

/** Keeps at most `maxEntries` answers, dropping the least recently used. */
export function createRevisionCache(maxEntries: number): RevisionCache {
  const entries = new Map<string, { readonly revision: number; readonly answer: string }>();
  return {
    get(key, revision, build) {
      if (revision === undefined) return build();
      const kept = entries.get(key);
      entries.delete(key);
      const answer = kept?.revision === revision ? kept.answer : build();
      // Map keeps insertion order: re-inserting makes this key the most recently used.
      entries.set(key, { revision, answer });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return answer;
    },
  };
}
