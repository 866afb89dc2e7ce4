/** The roles a user may hold. What each one allows is decided by the API families. */
export const ROLES = ['admin', 'operator', 'user'] as const;

export type Role = (typeof ROLES)[number];

/** A user without roles in the users file gets this one. */
export const DEFAULT_ROLES: readonly Role[] = ['user'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
