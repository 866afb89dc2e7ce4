import type { ActorKind } from '../actors/actor-system.js';
import type { Role } from '../domain/identity/roles.js';
import { DEFAULT_TOKEN_USE_INTERVAL_MS, type TokenCommand, type TokenState } from '../domain/identity/token-decider.js';
import type { TokenEvent } from '../domain/identity/token-events.js';
import type { TokenReadModel, TokenView } from '../projections/identity/token-views.js';
import { findStoreUnavailable, type EventMetadata, type LogPosition } from '../store/port.js';
import { generateToken, hashToken, isWellFormedToken } from './api-tokens.js';
import type { User, UserDirectory } from './user-directory.js';

export type TokenKind = ActorKind<TokenCommand, TokenEvent, TokenState>;

/** Who a valid token speaks for. `roles` are the owner's current roles in the user directory. */
export type TokenHolder = { readonly user: string; readonly roles: readonly Role[]; readonly hash: string };

/** Why a revoke was refused; each API family words it its own way. */
export type RevokeRefusal = 'unknown_token' | 'forbidden' | 'revoked';

export type RevokeOutcome = { readonly ok: true } | { readonly ok: false; readonly code: RevokeRefusal; readonly message: string };

const REVOKE_REFUSALS: ReadonlySet<string> = new Set<RevokeRefusal>(['unknown_token', 'forbidden', 'revoked']);

function isRevokeRefusal(code: string): code is RevokeRefusal {
  return REVOKE_REFUSALS.has(code);
}

/** API tokens, shared by every API family (vmpooler's `X-AUTH-TOKEN`, Drydock's `X-Auth-Token`). */
export interface TokenService {
  /** A new token for `user`; it can be verified as soon as this resolves. Only its hash is stored. */
  create(user: User, cause?: EventMetadata): Promise<string>;
  /**
   * The token's holder, or undefined for a malformed (no lookup), unknown or revoked token, or one whose
   * owner is no longer a configured user. Records the use, at most once per use interval.
   */
  verify(token: string): Promise<TokenHolder | undefined>;
  /** Revokes `token`: only its owner or an admin may. */
  revoke(token: string, by: User, cause?: EventMetadata): Promise<RevokeOutcome>;
  /** The user's tokens that are not revoked, oldest first (hashes: the tokens themselves are not kept). */
  list(user: string): readonly TokenView[];
  /** What is known of `token` (revoked ones too); undefined when malformed or unknown. */
  describe(token: string): TokenView | undefined;
}

export type TokenServiceOptions = {
  readonly kind: TokenKind;
  readonly views: TokenReadModel;
  /** Resolves once the read models have applied the log up to `position` (read-your-writes). */
  readonly waitFor: (position: LogPosition) => Promise<void>;
  readonly users: Pick<UserDirectory, 'get'>;
  readonly nowMs?: () => number;
  /** Must equal the token actor's: uses closer together than this are not asked for (default 60 s). */
  readonly useIntervalMs?: number;
  readonly generate?: () => string;
};

export function createTokenService(options: TokenServiceOptions): TokenService {
  const { kind, views, waitFor, users } = options;
  const nowMs = options.nowMs ?? Date.now;
  const useIntervalMs = options.useIntervalMs ?? DEFAULT_TOKEN_USE_INTERVAL_MS;
  const generate = options.generate ?? generateToken;

  async function settle(position: LogPosition | undefined): Promise<void> {
    if (position !== undefined) await waitFor(position);
  }

  /**
   * Records a use unless the read model shows one within the interval: most requests then ask no actor.
   * A store that cannot write does not refuse a token the read model knows: "last used" is bookkeeping,
   * recorded by a later use, and reads must go on while the store refuses writes.
   */
  async function recordUse(view: TokenView): Promise<boolean> {
    const now = nowMs();
    if (view.lastUsedAtMs !== null && now - view.lastUsedAtMs < useIntervalMs && now >= view.lastUsedAtMs) return true;
    const outcome = await kind.ask(view.hash, { type: 'RecordTokenUse', nowMs: now }, { actor: view.user }).catch((error: unknown) => {
      if (findStoreUnavailable(error) === undefined) throw error;
      return undefined;
    });
    if (outcome === undefined) return true;
    if (!outcome.ok) return false;
    await settle(outcome.position);
    return true;
  }

  return {
    async create(user, cause = {}) {
      const token = generate();
      const command = { type: 'CreateToken', user: user.name, roles: user.roles, nowMs: nowMs() } as const;
      const outcome = await kind.ask(hashToken(token), command, { ...cause, actor: user.name });
      if (!outcome.ok) throw new Error(`token not created: ${outcome.rejection.message}`);
      await settle(outcome.position);
      return token;
    },
    async verify(token) {
      if (!isWellFormedToken(token)) return undefined;
      const view = views.get(hashToken(token));
      if (view === undefined || view.revoked) return undefined;
      const owner = users.get(view.user);
      if (owner === undefined || !(await recordUse(view))) return undefined;
      return { user: owner.name, roles: owner.roles, hash: view.hash };
    },
    async revoke(token, by, cause = {}) {
      const hash = isWellFormedToken(token) ? hashToken(token) : undefined;
      if (hash === undefined || views.get(hash) === undefined) return { ok: false, code: 'unknown_token', message: 'no such token' };
      const command = { type: 'RevokeToken', by: by.name, byAdmin: by.roles.includes('admin'), nowMs: nowMs() } as const;
      const outcome = await kind.ask(hash, command, { ...cause, actor: by.name });
      if (!outcome.ok) {
        const { code, message } = outcome.rejection;
        if (!isRevokeRefusal(code)) throw new Error(`token not revoked: ${message}`);
        return { ok: false, code, message };
      }
      await settle(outcome.position);
      return { ok: true };
    },
    list: (user) => views.ofUser(user).filter((view) => !view.revoked),
    describe: (token) => (isWellFormedToken(token) ? views.get(hashToken(token)) : undefined),
  };
}
