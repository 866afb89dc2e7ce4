/**
 * What the MozPool read models answer, in the API's own field names so list routes serialise them as
 * they are. Built by folding the global log (src/projections/); never written by HTTP.
 */

import type { Holder } from '../domain/holders/holder.js';
import type { PowerTrouble } from './mozpool/power-trouble.js';

/** One line of a device or request log, oldest first. */
export type LogEntry = {
  /** Monotonic within its log: the event's revision in its stream, plus one. */
  readonly id: number;
  /** ISO 8601 UTC with `Z`. */
  readonly timestamp: string;
  /** Who said it: `statemachine`, `bmm`, `device`, `request`, `user`, `lifeguard`… */
  readonly source: string;
  readonly message: string;
};

export type DeviceView = {
  readonly id: number;
  readonly name: string;
  readonly fqdn: string;
  readonly inventory_id: number;
  readonly mac_address: string;
  readonly imaging_server: string;
  readonly relay_info: string;
  readonly hardware_type: string;
  /** LifeGuard state string. */
  readonly state: string;
  readonly comments: string;
  /** Current image name ('' when unknown). */
  readonly image: string;
  /** JSON text of the current boot config ('' when none). */
  readonly boot_config: string;
  readonly environment: string;
  /** Who holds the device, or null (labpool's own; the MozPool routes do not show it). */
  readonly holder: Holder | null;
  /** The MozPool request holding the device, or null (also when another kind of holder has it). */
  readonly request_id: number | null;
  /** Epoch ms of the last state change. */
  readonly stateEnteredAtMs: number;
  /** Present only while the device's latest power cycles failed, none succeeding since. */
  readonly power_trouble?: PowerTrouble;
};

export type RequestView = {
  readonly id: number;
  readonly imaging_server: string;
  readonly assignee: string;
  /** JSON text. */
  readonly boot_config: string;
  readonly state: string;
  /** ISO 8601 UTC. */
  readonly expires: string;
  readonly requested_device: string;
  readonly environment: string;
  readonly image: string;
  /** '' while none is assigned. */
  readonly assigned_device: string;
  /** The assigned device's state ('' when none). */
  readonly device_state: string;
  readonly closed: boolean;
};

export type ImageView = {
  readonly id: number;
  readonly name: string;
  readonly boot_config_keys: readonly string[];
  readonly can_reuse: boolean;
  readonly hidden: boolean;
  readonly has_sut_agent: boolean;
  /** TCP port that answers once the image is up. */
  readonly verifyTcpPort: number;
  /** hardware type → PXE config name. */
  readonly pxeConfigs: Readonly<Record<string, string>>;
};

export type PxeConfigView = {
  readonly name: string;
  readonly version: number;
  readonly description: string;
  readonly contents: string;
  readonly active: boolean;
};

export interface DeviceReadModel {
  /** Every registered (not retired) device, sorted by name. */
  list(): readonly DeviceView[];
  get(name: string): DeviceView | undefined;
  /** Log lines, oldest first; `sinceMs` keeps lines at or after it, `limit` keeps the newest N. */
  log(name: string, options?: { readonly sinceMs?: number; readonly limit?: number }): readonly LogEntry[];
  /** name → state for every device (the lab-wide map behind `/state/?cache=1`). */
  stateMap(): Readonly<Record<string, string>>;
  /** Devices in `ready` held by nobody, optionally only in `environment` ('any' = all). */
  free(environment?: string): readonly DeviceView[];
  environments(): readonly string[];
  /**
   * The revision of the last event of the device's stream the read models have applied: its view and
   * log change only with it, so an answer built from them can be kept until it moves. Undefined when
   * not known: such an answer must not be kept.
   */
  revision(name: string): number | undefined;
}

export interface RequestReadModel {
  list(includeClosed: boolean): readonly RequestView[];
  get(id: number): RequestView | undefined;
  log(id: number, options?: { readonly limit?: number }): readonly LogEntry[];
  /** Highest request id seen (0 when none): new ids start above it. */
  maxId(): number;
}

export interface ImageReadModel {
  /** Sorted by name; hidden images only when asked. */
  list(includeHidden: boolean): readonly ImageView[];
  get(name: string): ImageView | undefined;
  /** The PXE config for (image, hardware type), if the mapping and the config exist and it is active. */
  pxeConfigFor(image: string, hardwareType: string): PxeConfigView | undefined;
}

export interface PxeConfigReadModel {
  list(activeOnly: boolean): readonly PxeConfigView[];
  get(name: string): PxeConfigView | undefined;
}

export interface MozpoolReadModels {
  readonly devices: DeviceReadModel;
  readonly requests: RequestReadModel;
  readonly images: ImageReadModel;
  readonly pxeConfigs: PxeConfigReadModel;
}
