/**
 * What the lab's read models answer: devices with their holder, the inventory catalogue (images, PXE
 * configs), the free-device index, logs and the hardware facts devices reported. Every family and the core read these; each family shapes
 * its own wire format from them (MozPool's device details are built in its HTTP layer). Built by folding
 * the global log (src/projections/lab/); never written by HTTP.
 */

import type { JsonObject } from '../domain/device/device-events.js';
import type { HardwareSummary } from '../domain/device/hardware-facts.js';
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
  /** Inventory tags (what node filters select on). */
  readonly tags: readonly string[];
  /** Inventory labels, key → value. */
  readonly labels: Readonly<Record<string, string>>;
  /** The device's rack, or null. */
  readonly rack: string | null;
  /** The labels of its rack ({} without one). */
  readonly rackLabels: Readonly<Record<string, string>>;
  /** Who holds the device, or null. */
  readonly holder: Holder | null;
  /** Epoch ms of the last state change. */
  readonly stateEnteredAtMs: number;
  /** Present only while the device's latest power cycles failed, none succeeding since. */
  readonly powerTrouble?: PowerTrouble;
  /**
   * Present once the device was handed over between servers: the server it last moved from. The
   * inventory file's `imagingServer` then no longer decides its owner (the sync keeps `imagingServer`).
   */
  readonly handedOverFrom?: string;
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

/** One hardware report a device posted about itself (`DeviceFactsReported`). */
export type FactsReport = {
  /** What produced it, e.g. `lshw`. */
  readonly generator: string;
  /** MIME type of `facts` (`application/json`). */
  readonly format: string;
  readonly facts: JsonObject;
  /** Epoch ms it was recorded. */
  readonly atMs: number;
  /** Who held the device then (a deployment collecting build data finds its own reports by it); null: nobody. */
  readonly holder: Holder | null;
  /** Revision of the event in the device's stream: tells two reports of one millisecond apart. */
  readonly revision: number;
};

export interface DeviceFactsReadModel {
  /**
   * The latest reports of a registered device, oldest first, at most {@link MAX_FACTS_REPORTS_KEPT};
   * [] for a device that reported none (or is unknown or retired).
   */
  of(name: string): readonly FactsReport[];
  /** Its newest report, if any. */
  latest(name: string): FactsReport | undefined;
  /** CPUs, memory, disk and OS as its newest report tells them; undefined without a report. */
  summary(name: string): HardwareSummary | undefined;
}

/** How many hardware reports are kept per device: the newest ones. */
export const MAX_FACTS_REPORTS_KEPT = 20;

/** The read models of the core lab; a family adds its own beside them. */
export interface LabReadModels {
  readonly devices: DeviceReadModel;
  readonly images: ImageReadModel;
  readonly pxeConfigs: PxeConfigReadModel;
  /** The hardware facts devices reported about themselves. */
  readonly facts: DeviceFactsReadModel;
}
