import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import tftp from 'tftp';
import type { HardwareResult } from '../../lab/hardware-ports.js';

/** The file the probe writes and fetches back; a fixed name, so probes never leave more than one. */
export const TFTP_PROBE_FILE = 'labpool-site-probe.txt';

export type TftpProbeOptions = {
  /** Where the server listens; a wildcard address is probed on loopback. */
  readonly host: string;
  readonly port: number;
  readonly root: string;
  /** Silence before a retransmission; two tries in all. */
  readonly timeoutMs: number;
};

/**
 * Checks the TFTP server end to end, as a PXE ROM would use it: writes a fresh random line into the
 * root, fetches it over TFTP and compares. Never throws; a failure names what went wrong.
 */
export function createTftpProbe(options: TftpProbeOptions): () => Promise<HardwareResult> {
  const host = options.host === '0.0.0.0' ? '127.0.0.1' : options.host === '::' ? '::1' : options.host;
  const where = `TFTP ${host}:${options.port}`;
  return async () => {
    const expected = `labpool site probe ${randomBytes(8).toString('hex')}\n`;
    try {
      await writeFile(join(options.root, TFTP_PROBE_FILE), expected);
    } catch (error) {
      return { ok: false, error: `${where}: cannot write ${TFTP_PROBE_FILE} into the root ${options.root}: ${(error as Error).message}` };
    }
    const fetched = await fetchOnce(tftp.createClient({ host, port: options.port, retries: 1, timeout: options.timeoutMs }));
    if ('error' in fetched) return { ok: false, error: `${where}: fetching ${TFTP_PROBE_FILE} failed: ${fetched.error}` };
    if (fetched.data !== expected) return { ok: false, error: `${where}: ${TFTP_PROBE_FILE} came back different from what was written (${fetched.data.length} bytes)` };
    return { ok: true };
  };
}

function fetchOnce(client: tftp.Client): Promise<{ readonly data: string } | { readonly error: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const stream = client.createGetStream(TFTP_PROBE_FILE);
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', (error: Error) => resolve({ error: error.message }));
    stream.on('end', () => resolve({ data: Buffer.concat(chunks).toString('utf8') }));
  });
}
