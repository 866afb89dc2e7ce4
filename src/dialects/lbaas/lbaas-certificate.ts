import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createFileOnce } from '../../config/create-file-once.js';
import { generate } from 'selfsigned';
import { LbaasConfigError, simCertificateFiles, type LbaasCertificateSource } from './lbaas-config.js';

/** A PEM certificate and its private key, as Node's `https` takes them. */
export type TlsCredentials = { readonly cert: string; readonly key: string };

/** How long a generated certificate is valid: long enough that a demo lab never sees it expire. */
const GENERATED_VALID_DAYS = 3650;

/** A self-signed certificate for `host` (and loopback), from a maintained library: no X.509 by hand. */
async function generateCredentials(host: string): Promise<TlsCredentials> {
  const notBeforeDate = new Date();
  const notAfterDate = new Date(notBeforeDate.getTime() + GENERATED_VALID_DAYS * 86_400_000);
  const isIp = /^[\d.]+$|:/.test(host);
  const altNames = [
    { type: 2 as const, value: 'localhost' },
    { type: 7 as const, ip: '127.0.0.1' },
    { type: 7 as const, ip: '::1' },
    ...(isIp ? [{ type: 7 as const, ip: host }] : [{ type: 2 as const, value: host }]),
  ];
  const pems = await generate([{ name: 'commonName', value: 'labpool simulated lab' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [{ name: 'subjectAltName', altNames }],
  });
  return { cert: pems.cert, key: pems.private };
}

function readPem(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new LbaasConfigError(`the LBaaS ${what} ${file} cannot be read: ${(error as Error).message}`);
  }
}

/**
 * The configured certificate and key; or the simulated lab's, generated at its first start into its
 * data folder (key mode 0600) and read back at every later one, so clients that pinned it keep working.
 */
export async function loadTlsCredentials(source: LbaasCertificateSource, host: string): Promise<TlsCredentials> {
  if (source.kind === 'files') return { cert: readPem(source.certFile, 'certificate'), key: readPem(source.keyFile, 'key') };
  if (source.folder === null) return generateCredentials(host);
  const { certFile, keyFile } = simCertificateFiles(source.folder);
  if (!existsSync(keyFile)) {
    const generated = await generateCredentials(host);
    mkdirSync(source.folder, { recursive: true });
    if (createFileOnce(keyFile, generated.key, 0o600)) {
      // The pair is this server's: a certificate left without its key is replaced, in one rename.
      const draft = `${certFile}.${process.pid}.draft`;
      writeFileSync(draft, generated.cert);
      renameSync(draft, certFile);
      return generated;
    }
  }
  // Another server on this folder made the pair: its certificate follows its key at once.
  await waitForFile(certFile, keyFile);
  return { cert: readPem(certFile, 'certificate'), key: readPem(keyFile, 'key') };
}

/** How long a certificate may lag its key: the server that linked the key writes it next, without awaiting anything. */
const CERT_AFTER_KEY_MS = 10_000;

async function waitForFile(file: string, keyFile: string): Promise<void> {
  const deadline = Date.now() + CERT_AFTER_KEY_MS;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new LbaasConfigError(`the LBaaS key ${keyFile} has no certificate ${file} beside it: remove the key to have a new pair made`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
