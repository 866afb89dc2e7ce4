/**
 * Names of catalogue entries, devices and environments. They appear in URLs, stream names
 * (`image-<name>`) and PXE file contents, so they stay to letters, digits, `.`, `_` and `-`.
 */
export const NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$';

const nameRegExp = new RegExp(NAME_PATTERN);

export function isValidName(name: string): boolean {
  return nameRegExp.test(name);
}

/** What a bad name is told. */
export const NAME_RULE = 'must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit';

/** Boot config keys are request-body keys: they must look like identifiers. */
export const BOOT_CONFIG_KEY_PATTERN = '^[A-Za-z_][A-Za-z0-9_]{0,63}$';

/**
 * Keys a device request body already uses for itself (MozPool's `requester` included): a boot config
 * key with one of these names could never be told apart from the request's own field.
 */
export const RESERVED_BOOT_CONFIG_KEYS = ['assignee', 'requester', 'duration', 'image', 'environment'] as const;

/** Port of MozPool's SUT agent, which images with `hasSutAgent` answer on. */
export const SUT_AGENT_TCP_PORT = 20701;

/** Port checked for images without the SUT agent: ssh. */
export const SSH_TCP_PORT = 22;
