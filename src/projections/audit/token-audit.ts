import { createTokenDecider, type TokenState } from '../../domain/identity/token-decider.js';
import { TOKEN_EVENT_TYPES, type TokenEvent } from '../../domain/identity/token-events.js';
import { createAuditFold, type AuditKind } from './audit-kinds.js';

/** A token's state under the word an audit shows: `absent`, `active` or `revoked`. */
type AuditedToken = TokenState & { readonly state: TokenState['status'] };

const tokens = createTokenDecider();
const audited = (token: TokenState): AuditedToken => ({ ...token, state: token.status });

/**
 * Tokens by their stream's id, the SHA-256 of the token in hex (`token-<hash>`): the token itself is
 * never stored, so an auditor names the hash that listings show.
 */
export const tokenAudit: AuditKind = {
  category: 'token',
  parseId: (raw) => (/^[0-9a-fA-F]{64}$/.test(raw) ? raw.toLowerCase() : undefined),
  streamOf: (id) => `token-${id}`,
  describeBadId: (raw) => `a token is named by its SHA-256 hash (64 hex digits), not '${raw}'`,
  fold: createAuditFold<TokenEvent, AuditedToken>({ initialState: audited(tokens.initialState), evolve: (token, event) => audited(tokens.evolve(token, event)), knownTypes: TOKEN_EVENT_TYPES }),
};
