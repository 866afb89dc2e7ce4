import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabpoolConfig } from '../../config/config.js';
import type { DrydockSettings } from './actors/drydock-context.js';

/** Drydock's default wait for a node's signalling bootactions: 15 minutes. */
export const DEFAULT_BOOTACTION_TIMEOUT_S = 900;

/** The simulated lab leaves one bootaction for the operator: its deploys give up on it after two minutes. */
export const SIM_BOOTACTION_TIMEOUT_S = 120;

export const DEFAULT_ERASE_IMAGE = 'erase';

/** The designs the repository ships (`config/designs/`): the simulated lab's design folder. */
const SHIPPED_DESIGNS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../config/designs');

/** Drydock's settings from labpool's configuration, defaults filled in. */
export function drydockSettingsOf(config: LabpoolConfig, simulatedLab: boolean): DrydockSettings {
  const section = config.drydock ?? {};
  const store = config.store;
  const besideStore = store.kind === 'sqlite' && store.path !== ':memory:' ? join(dirname(resolve(store.path)), 'designs') : resolve('designs');
  return {
    designFolder: section.designFolder ?? (simulatedLab ? SHIPPED_DESIGNS : besideStore),
    bootactionTimeoutMs: 1000 * (section.bootactionTimeoutS ?? (simulatedLab ? SIM_BOOTACTION_TIMEOUT_S : DEFAULT_BOOTACTION_TIMEOUT_S)),
    eraseImage: section.eraseImage ?? DEFAULT_ERASE_IMAGE,
    publicUrl: (section.publicUrl ?? `http://${config.serverId}`).replace(/\/+$/, ''),
  };
}
