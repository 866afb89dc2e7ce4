import type { ActorSystem } from '../actors/actor-system.js';
import { createTokenActor, DEFAULT_TOKEN_USE_INTERVAL_MS } from '../domain/identity/token-decider.js';
import { createTokenViews, type TokenViews } from '../projections/identity/token-views.js';
import type { LogPosition } from '../store/port.js';
import { createTokenService, type TokenService } from './token-service.js';
import type { UserDirectory } from './user-directory.js';

/** Users and API tokens: one identity for every API family. */
export type Identity = {
  readonly users: UserDirectory;
  readonly tokens: TokenService;
  /** The token read model; hand it to the projection runner with the others. */
  readonly tokenViews: TokenViews;
};

export type IdentityOptions = {
  /** From `loadUserDirectory`, before anything else starts: a refused configuration then leaves nothing running. */
  readonly users: UserDirectory;
  readonly system: ActorSystem;
  /** `auth.tokenUseIntervalMs` (default 60 s). */
  readonly tokenUseIntervalMs?: number;
  readonly waitFor: (position: LogPosition) => Promise<void>;
  readonly nowMs?: () => number;
};

/** Registers the token actors and builds the token service and read model over `users`. */
export function createIdentity(options: IdentityOptions): Identity {
  const { users } = options;
  const useIntervalMs = options.tokenUseIntervalMs ?? DEFAULT_TOKEN_USE_INTERVAL_MS;
  const tokenViews = createTokenViews();
  const kind = options.system.register(createTokenActor(useIntervalMs));
  const tokens = createTokenService({ kind, views: tokenViews, waitFor: options.waitFor, users, nowMs: options.nowMs, useIntervalMs });
  return { users, tokens, tokenViews };
}
