/**
 * What the lab's read models answer: devices with their holder, the inventory catalogue (images, PXE
 * configs), the free-device index and logs. Every family and the core read these; each family shapes
 * its own wire format from them (MozPool's device details are built in its HTTP layer). Built by folding
 * the global log (src/projections/lab/); never written by HTTP.
 */

import type { Holder } from '../domain/holders/holder.js';

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

/** Failed power cycles in a row, the latest included, none succeeding since. */
export type PowerTrouble = {
  /** How many (≥ 1). */
  readonly failedCycles: number;
  /** Why the latest one failed, as the power port said it. */
  readonly lastError: string;
  /** When the first of them failed: ISO 8601 UTC. */
  readonly since: string;
};

/** A registered device as the lab sees it. */
export type LabDevice = {
  /** Handed out in order of first registration from 1, kept by name. */
  readonly id: number;
  readonly name: string;
  readonly fqdn: string;
  readonly inventoryId: number;
  readonly macAddress: string;
  /** The server that owns the device (runs its actor, touches its hardware). */
  readonly imagingServer: string;
  readonly relayInfo: string;
  readonly hardwareType: string;
  /** LifeGuard state string. */
  readonly state: string;
  readonly comments: string;
  /** Current image name ('' when unknown). */
  readonly image: string;
  /** JSON text of the current boot config ('' when none). */
  readonly bootConfig: string;
  readonly environment: string;
  /** Who holds the device, or null. */
  readonly holder: Holder | null;
  /** Epoch ms of the last state change. */
  readonly stateEnteredAtMs: number;
  /** Present only while the device's latest power cycles failed, none succeeding since. */
  readonly powerTrouble?: PowerTrouble;
};

export type LabImage = {
  readonly id: number;
  readonly name: string;
  readonly bootConfigKeys: readonly string[];
  readonly canReuse: boolean;
  readonly hidden: boolean;
  readonly hasSutAgent: boolean;
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
  list(): readonly LabDevice[];
  get(name: string): LabDevice | undefined;
  /** Log lines, oldest first; `sinceMs` keeps lines at or after it, `limit` keeps the newest N. */
  log(name: string, options?: { readonly sinceMs?: number; readonly limit?: number }): readonly LogEntry[];
  /** name → state for every device (the lab-wide map behind `/state/?cache=1`). */
  stateMap(): Readonly<Record<string, string>>;
  /** Devices in `ready` held by nobody, optionally only in `environment` ('any' = all). */
  free(environment?: string): readonly LabDevice[];
  environments(): readonly string[];
  /**
   * The revision of the last event of the device's stream the read models have applied: its view and
   * log change only with it, so an answer built from them can be kept until it moves. Undefined when
   * not known: such an answer must not be kept.
   */
  revision(name: string): number | undefined;
}

export interface ImageReadModel {
  /** Sorted by name; hidden images only when asked. */
  list(includeHidden: boolean): readonly LabImage[];
  get(name: string): LabImage | undefined;
  /** The PXE config for (image, hardware type), if the mapping and the config exist and it is active. */
  pxeConfigFor(image: string, hardwareType: string): PxeConfigView | undefined;
}

export interface PxeConfigReadModel {
  list(activeOnly: boolean): readonly PxeConfigView[];
  get(name: string): PxeConfigView | undefined;
}

/** The read models of the core lab; a family adds its own beside them. */
export interface LabReadModels {
  readonly devices: DeviceReadModel;
  readonly images: ImageReadModel;
  readonly pxeConfigs: PxeConfigReadModel;
}
