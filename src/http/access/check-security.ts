import { ConfigError, type SecurityConfig } from '../../config/config.js';
import type { UserDirectory } from '../../identity/user-directory.js';

/** A lock that no token could open is a mistake in the configuration: refused at start, before anything runs. */
export function checkSecurity(security: SecurityConfig | undefined, users: Pick<UserDirectory, 'list'>): void {
  if (security?.mozpoolWritesNeedToken === true && users.list().length === 0) {
    throw new ConfigError(['security.mozpoolWritesNeedToken needs users to hold tokens (auth.users or auth.usersFile, LABPOOL_USERS_FILE)']);
  }
}
