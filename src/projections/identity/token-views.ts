import type { Role } from '../../domain/identity/roles.js';
import { TOKEN_EVENT_TYPES } from '../../domain/identity/token-events.js';
import { toDomainEvent } from '../../domain/to-domain-event.js';
import type { RecordedEvent } from '../../store/port.js';
import type { Projection } from '../projection-runner.js';

/** One token as the read model knows it, by the SHA-256 hex of the token (the token itself is never stored). */
export type TokenView = {
  readonly hash: string;
  readonly user: string;
  /** The roles the owner held when creating it. */
  readonly roles: readonly Role[];
  readonly createdAtMs: number;
  /** Epoch ms of the last recorded use (recorded at most once per use interval); null when never used. */
  readonly lastUsedAtMs: number | null;
  readonly revoked: boolean;
};

export interface TokenReadModel {
  get(hash: string): TokenView | undefined;
  /** The user's tokens, revoked ones included, oldest first. */
  ofUser(user: string): readonly TokenView[];
}

export type TokenViews = Projection & TokenReadModel;

const STREAM_PREFIX = 'token-';

/** Tokens from `token-*` streams. */
export function createTokenViews(): TokenViews {
  const views = new Map<string, TokenView>();
  const hashesByUser = new Map<string, Set<string>>();

  function apply(recorded: RecordedEvent): void {
    const event = toDomainEvent(recorded, TOKEN_EVENT_TYPES);
    if (event === undefined) return;
    const hash = recorded.stream.slice(STREAM_PREFIX.length);
    const view = views.get(hash);
    if (event.type === 'TokenCreated') {
      const { user, roles, atMs } = event.data;
      views.set(hash, { hash, user, roles, createdAtMs: atMs, lastUsedAtMs: null, revoked: false });
      let hashes = hashesByUser.get(user);
      if (hashes === undefined) hashesByUser.set(user, (hashes = new Set()));
      hashes.add(hash);
    } else if (view !== undefined) {
      views.set(hash, event.type === 'TokenUsed' ? { ...view, lastUsedAtMs: event.data.atMs } : { ...view, revoked: true });
    }
  }

  return {
    name: 'identity-tokens',
    filter: { streamPrefixes: [STREAM_PREFIX] },
    apply,
    get: (hash) => views.get(hash),
    ofUser(user) {
      const hashes = [...(hashesByUser.get(user) ?? [])];
      return hashes.flatMap((hash) => views.get(hash) ?? []).sort((a, b) => a.createdAtMs - b.createdAtMs);
    },
  };
}
