import { eventTypes } from '../to-domain-event.js';
import type { Role } from './roles.js';

/**
 * Events of one API token, in stream `token-<sha256 hex of the token>`: the token itself is never
 * stored, only its hash (the stream name).
 */
export type TokenEvent =
  | {
      readonly type: 'TokenCreated';
      /** The owner and the roles they held when they created it. */
      readonly data: { readonly user: string; readonly roles: readonly Role[]; readonly atMs: number };
    }
  /** Recorded at most once per use interval, so "last used" costs one event a minute, not one per request. */
  | { readonly type: 'TokenUsed'; readonly data: { readonly atMs: number } }
  | { readonly type: 'TokenRevoked'; readonly data: { readonly atMs: number; readonly by: string } };

/** Every token event type: the compiler refuses this list until a new type is added to it. */
export const TOKEN_EVENT_TYPES = eventTypes<TokenEvent>({ TokenCreated: true, TokenUsed: true, TokenRevoked: true });
