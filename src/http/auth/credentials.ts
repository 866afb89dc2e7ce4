/**
 * Credentials as API families read them, without deciding what a failure looks like: each family
 * answers in its own error shape (vmpooler `{"ok": false}` 401, Drydock 401/403, Commissaire 403).
 */
import type { TokenHolder, TokenService } from '../../identity/token-service.js';
import type { User, UserDirectory } from '../../identity/user-directory.js';

/** The part of a koa context these helpers read: `ctx.get` matches header names case-insensitively. */
export type HeaderSource = { get(field: string): string };

export type BasicCredentials = { readonly name: string; readonly password: string };

/** vmpooler's `X-AUTH-TOKEN` and Drydock's `X-Auth-Token`: one header (names are case-insensitive), one token system. */
export const AUTH_TOKEN_HEADER = 'X-Auth-Token';

/** What a request's credentials came to: none given, given but refused, or who they identify. */
export type AuthOutcome<Who> = { readonly status: 'absent' } | { readonly status: 'refused' } | { readonly status: 'accepted'; readonly who: Who };

const BASIC = /^basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i;

/**
 * `Authorization: Basic base64(name:password)` (RFC 7617, UTF-8): undefined when absent or
 * malformed. The password may contain colons; the name may not.
 */
export function basicCredentials(ctx: HeaderSource): BasicCredentials | undefined {
  const match = BASIC.exec(ctx.get('Authorization'));
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { name: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The token header's value, trimmed; undefined when absent or empty. Its format is the token service's to judge. */
export function authToken(ctx: HeaderSource): string | undefined {
  const value = ctx.get(AUTH_TOKEN_HEADER).trim();
  return value === '' ? undefined : value;
}

/** The user of the request's HTTP Basic credentials. A malformed Authorization header counts as refused. */
export async function basicUser(ctx: HeaderSource, users: Pick<UserDirectory, 'authenticate'>): Promise<AuthOutcome<User>> {
  if (ctx.get('Authorization') === '') return { status: 'absent' };
  const credentials = basicCredentials(ctx);
  const user = credentials === undefined ? undefined : await users.authenticate(credentials.name, credentials.password);
  return user === undefined ? { status: 'refused' } : { status: 'accepted', who: user };
}

/** The holder of the request's token header. */
export async function tokenHolder(ctx: HeaderSource, tokens: Pick<TokenService, 'verify'>): Promise<AuthOutcome<TokenHolder>> {
  const token = authToken(ctx);
  if (token === undefined) return { status: 'absent' };
  const holder = await tokens.verify(token);
  return holder === undefined ? { status: 'refused' } : { status: 'accepted', who: holder };
}
