import { dirname, join, resolve } from 'node:path';
import type { LabpoolConfig } from '../../config/config.js';

/** The LBaaS Device API's port when none is configured: the one its clients (Libra's pool manager) expect. */
export const DEFAULT_LBAAS_PORT = 8889;

/** Where the simulated lab keeps its generated certificate and key: beside the store. */
export const SIM_CERT_FILE_NAME = 'lbaas-cert.pem';
export const SIM_KEY_FILE_NAME = 'lbaas-key.pem';

/** Where the TLS certificate comes from. */
export type LbaasCertificateSource =
  | { readonly kind: 'files'; readonly certFile: string; readonly keyFile: string }
  /** Generated at first start into `folder` (kept there for the next), or in memory when `folder` is null. */
  | { readonly kind: 'generated'; readonly folder: string | null };

/** LBaaS's settings with defaults applied; `undefined` when the API is off. */
export type LbaasSettings = {
  readonly host: string;
  readonly port: number;
  /** The port was not configured (simulated lab): another free port will do when it is taken. */
  readonly portIsDefault: boolean;
  readonly certificate: LbaasCertificateSource;
  readonly requireToken: boolean;
};

/** A start that cannot serve LBaaS as configured: the message says what to set. */
export class LbaasConfigError extends Error {
  override readonly name = 'LbaasConfigError';
}

function dataFolderOf(config: LabpoolConfig): string | null {
  const { store } = config;
  if (store.kind === 'sqlite') return store.path === ':memory:' ? null : dirname(resolve(store.path));
  return resolve('data');
}

/**
 * On when the `lbaas` section exists (unless `enabled: false`) or in the simulated lab. Outside the
 * simulated lab a certificate must be configured: labpool never invents one for a real lab.
 */
export function lbaasSettingsOf(config: LabpoolConfig, simulatedLab: boolean): LbaasSettings | undefined {
  const section = config.lbaas;
  if (section?.enabled === false || (section === undefined && !simulatedLab)) return undefined;
  const { certFile, keyFile } = section ?? {};
  if ((certFile === undefined || keyFile === undefined) && !simulatedLab) {
    throw new LbaasConfigError('the LBaaS Device API needs lbaas.certFile and lbaas.keyFile (PEM) outside the simulated lab');
  }
  const certificate: LbaasCertificateSource = certFile !== undefined && keyFile !== undefined ? { kind: 'files', certFile, keyFile } : { kind: 'generated', folder: dataFolderOf(config) };
  const port = section?.port ?? DEFAULT_LBAAS_PORT;
  return { host: section?.host ?? config.http.host, port, portIsDefault: section?.port === undefined, certificate, requireToken: section?.requireToken ?? false };
}

/** The generated certificate's files in `folder`. */
export function simCertificateFiles(folder: string): { readonly certFile: string; readonly keyFile: string } {
  return { certFile: join(folder, SIM_CERT_FILE_NAME), keyFile: join(folder, SIM_KEY_FILE_NAME) };
}
