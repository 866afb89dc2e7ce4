import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { HardwareResult, HardwareTarget, PxePort, PxeVariables } from '../../lab/hardware-ports.js';
import type { PxeConfigView } from '../../projections/read-models.js';

export type PxeWriterOptions = {
  /** The directory the TFTP server serves; `pxelinux.cfg/` is created under it when missing. */
  readonly tftpRoot: string;
  /** What `%IPADDRESS%` becomes: the address devices reach labpool's HTTP and TFTP servers at. */
  readonly serverAddress: string;
};

const MAC_SEPARATORS = /[:-]/g;
const TWELVE_HEX_DIGITS = /^[0-9a-f]{12}$/;
const PLACEHOLDER = /%([A-Za-z0-9_]+)%/g;

/**
 * The path, relative to the TFTP root, that pxelinux asks for first for a device:
 * `pxelinux.cfg/01-aa-bb-cc-dd-ee-ff` (`01` is the ARP type of Ethernet; MAC lowercase, dashes).
 * Accepts `aa:bb:…`, `AA-BB-…` or 12 bare hex digits; `undefined` when `mac` is not a MAC address.
 */
export function pxeFileNameFor(mac: string): string | undefined {
  const digits = mac.trim().toLowerCase().replace(MAC_SEPARATORS, '');
  if (!TWELVE_HEX_DIGITS.test(digits)) return undefined;
  const octets = digits.match(/../g) ?? [];
  return `pxelinux.cfg/01-${octets.join('-')}`;
}

/**
 * Replaces `%IPADDRESS%` with `serverAddress` and each `%NAME%` with `variables[NAME]`; unknown
 * placeholders stay as they are (pxelinux configs may hold other `%…%` text). One pass, so a value that
 * itself contains `%…%` is not expanded again.
 */
export function renderPxeConfig(contents: string, serverAddress: string, variables: PxeVariables): string {
  return contents.replace(PLACEHOLDER, (placeholder, name: string) => {
    if (name === 'IPADDRESS') return serverAddress;
    return Object.hasOwn(variables, name) ? (variables[name] ?? placeholder) : placeholder;
  });
}

/**
 * PXE files on the local disk under the TFTP root. A device booting reads its file at any moment, so a
 * write is atomic: it sees the old file or the whole new one, never a partial one.
 */
export function createPxeWriter(options: PxeWriterOptions): PxePort {
  return {
    async write(target: HardwareTarget, config: PxeConfigView, variables: PxeVariables): Promise<HardwareResult> {
      const path = pxePathFor(options.tftpRoot, target);
      if (path === undefined) return badMac(target);
      const contents = renderPxeConfig(config.contents, options.serverAddress, variables);
      return asResult(`writing ${path}`, () => writeAtomically(path, contents));
    },
    async clear(target: HardwareTarget): Promise<HardwareResult> {
      const path = pxePathFor(options.tftpRoot, target);
      if (path === undefined) return badMac(target);
      return asResult(`deleting ${path}`, () => unlinkIfPresent(path));
    },
  };
}

function pxePathFor(tftpRoot: string, target: HardwareTarget): string | undefined {
  const name = pxeFileNameFor(target.macAddress);
  return name === undefined ? undefined : join(tftpRoot, name);
}

function badMac(target: HardwareTarget): HardwareResult {
  return { ok: false, error: `device ${target.device} has no valid MAC address (${JSON.stringify(target.macAddress)})` };
}

async function asResult(what: string, operation: () => Promise<void>): Promise<HardwareResult> {
  try {
    await operation();
    return { ok: true };
  } catch (error) {
    return { ok: false, error: `${what}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Temp file in the same directory (so `rename` stays on one filesystem and is atomic), fsync, rename. */
async function writeAtomically(path: string, contents: string): Promise<void> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true });
  // A dot name: pxelinux never asks for it, and a crashed write is recognisable.
  const temporary = join(directory, `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const file = await open(temporary, 'wx', 0o644);
    try {
      await file.writeFile(contents, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDirectory(directory);
}

/** Makes the rename itself survive a power loss; a filesystem that cannot fsync a directory is no error. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r').catch(() => undefined);
  if (handle === undefined) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}

async function unlinkIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
