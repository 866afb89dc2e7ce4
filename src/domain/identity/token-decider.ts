import { accept, reject, type Decider, type Decision } from '../decider.js';
import type { Role } from './roles.js';
import { TOKEN_EVENT_TYPES, type TokenEvent } from './token-events.js';

/** "Last used" is recorded at most this often per token by default. */
export const DEFAULT_TOKEN_USE_INTERVAL_MS = 60_000;

export type TokenCommand =
  | { readonly type: 'CreateToken'; readonly user: string; readonly roles: readonly Role[]; readonly nowMs: number }
  | { readonly type: 'RecordTokenUse'; readonly nowMs: number }
  /** `byAdmin`: the caller holds the admin role, and may revoke anyone's token. */
  | { readonly type: 'RevokeToken'; readonly by: string; readonly byAdmin: boolean; readonly nowMs: number };

type TokenFacts = {
  readonly user: string;
  readonly roles: readonly Role[];
  readonly createdAtMs: number;
  /** Epoch ms of the last recorded use; null until the first one. */
  readonly lastUsedAtMs: number | null;
};

/** JSON as it is, so snapshots need no codec. */
export type TokenState =
  { readonly status: 'absent' } | ({ readonly status: 'active' } & TokenFacts) | ({ readonly status: 'revoked'; readonly revokedAtMs: number; readonly revokedBy: string } & TokenFacts);

function decideCreate(command: Extract<TokenCommand, { type: 'CreateToken' }>, state: TokenState): Decision<TokenEvent> {
  if (state.status !== 'absent') return reject('token_exists', 'this token exists already');
  return accept({ type: 'TokenCreated', data: { user: command.user, roles: command.roles, atMs: command.nowMs } });
}

function decideUse(useIntervalMs: number, command: Extract<TokenCommand, { type: 'RecordTokenUse' }>, state: TokenState): Decision<TokenEvent> {
  if (state.status === 'absent') return reject('unknown_token', 'no such token');
  if (state.status === 'revoked') return reject('revoked', 'the token was revoked');
  // A clock that stepped back counts as within the interval: "last used" never moves backwards.
  if (state.lastUsedAtMs !== null && command.nowMs - state.lastUsedAtMs < useIntervalMs) return accept();
  return accept({ type: 'TokenUsed', data: { atMs: command.nowMs } });
}

function decideRevoke(command: Extract<TokenCommand, { type: 'RevokeToken' }>, state: TokenState): Decision<TokenEvent> {
  if (state.status === 'absent') return reject('unknown_token', 'no such token');
  if (command.by !== state.user && !command.byAdmin) return reject('forbidden', `only ${state.user} or an admin may revoke this token`);
  if (state.status === 'revoked') return reject('revoked', 'the token was revoked already');
  return accept({ type: 'TokenRevoked', data: { atMs: command.nowMs, by: command.by } });
}

function evolve(state: TokenState, event: TokenEvent): TokenState {
  switch (event.type) {
    case 'TokenCreated':
      return { status: 'active', user: event.data.user, roles: event.data.roles, createdAtMs: event.data.atMs, lastUsedAtMs: null };
    case 'TokenUsed':
      return state.status === 'absent' ? state : { ...state, lastUsedAtMs: event.data.atMs };
    case 'TokenRevoked':
      return state.status === 'absent' ? state : { ...state, status: 'revoked', revokedAtMs: event.data.atMs, revokedBy: event.data.by };
    default:
      return event satisfies never;
  }
}

/**
 * One API token (stream `token-<sha256 hex>`). Rejections: `token_exists`, `unknown_token`, `revoked`,
 * `forbidden` (revoking someone else's token without the admin role).
 */
export function createTokenDecider(useIntervalMs = DEFAULT_TOKEN_USE_INTERVAL_MS): Decider<TokenCommand, TokenEvent, TokenState> {
  return {
    initialState: { status: 'absent' },
    knownEventTypes: TOKEN_EVENT_TYPES,
    decide(command, state) {
      switch (command.type) {
        case 'CreateToken':
          return decideCreate(command, state);
        case 'RecordTokenUse':
          return decideUse(useIntervalMs, command, state);
        case 'RevokeToken':
          return decideRevoke(command, state);
        default:
          return command satisfies never;
      }
    },
    evolve,
    isFinal: (state) => state.status === 'revoked',
  };
}

/** What the composition root registers as an actor: a plain object, as domain code imports nothing from src/actors. */
export function createTokenActor(useIntervalMs = DEFAULT_TOKEN_USE_INTERVAL_MS) {
  return { category: 'token', decider: createTokenDecider(useIntervalMs) };
}
