/**
 * Events of a device stream (`device-<name>`). The device actor is the single writer of its
 * LifeGuard state: every transition is one `DeviceStateEntered` that records where from, why, its
 * retry counter and its deadline, so replay needs no clock.
 */

import type { Holder } from '../holders/holder.js';
import type { Json } from '../json.js';
import type { LifeGuardState } from './lifeguard-states.js';

/** Inventory facts of a device, as the inventory file and BMM describe it. */
export type DeviceInventory = {
  readonly fqdn: string;
  readonly inventoryId: number;
  readonly macAddress: string;
  /** The server (its `host:port` server id) that runs this device's actor and touches its hardware. */
  readonly imagingServer: string;
  /** Power address: `host[:port]/<outlet>` or `snmp://community@host:port/<outlet>?model=<m>`. */
  readonly relayInfo: string;
  readonly hardwareType: string;
  readonly environment: string;
  /** Free-form tags (node filters select on them), unique, in the inventory's order. */
  readonly tags: readonly string[];
  /** Key/value labels (node filters select on them). */
  readonly labels: Readonly<Record<string, string>>;
  /** The rack the device is in; null when the inventory names none. */
  readonly rack: string | null;
  /**
   * The labels of that rack, copied onto each of its devices so that one event carries what replay
   * needs: a change of a rack's labels is a `DeviceInventoryUpdated` of each device in it.
   */
  readonly rackLabels: Readonly<Record<string, string>>;
};

/** A JSON object: what a device reports about itself. */
export type JsonObject = Readonly<Record<string, Json>>;

/** MIME type of facts posted as JSON (the only format so far). */
export const JSON_FACTS_FORMAT = 'application/json';

/** What started a transition. */
export type TransitionTrigger = 'registered' | 'please' | 'forced' | 'timeout' | 'device_event' | 'power_result' | 'verify_result' | 'ping_result' | 'pxe_result' | 'continue';

export type DeviceEvent =
  | { readonly type: 'DeviceRegistered'; readonly data: DeviceInventory & { readonly name: string; readonly atMs: number } }
  | { readonly type: 'DeviceInventoryUpdated'; readonly data: DeviceInventory & { readonly atMs: number } }
  | { readonly type: 'DeviceRetired'; readonly data: { readonly atMs: number } }
  | {
      readonly type: 'DeviceStateEntered';
      readonly data: {
        readonly from: LifeGuardState;
        readonly to: LifeGuardState;
        readonly trigger: TransitionTrigger;
        /** Free text: which event, result or timeout caused it. */
        readonly reason: string;
        readonly atMs: number;
        /** When this state times out; null for states without a timeout. */
        readonly timeoutAtMs: number | null;
        /** The retry counter of `to` after this entry (1 on a first entry). */
        readonly counter: number;
        /** True when every retry counter was reset before this entry (the `start_*` states). */
        readonly clearedCounters: boolean;
      };
    }
  | { readonly type: 'DeviceHolderAttached'; readonly data: { readonly holder: Holder; readonly atMs: number } }
  | { readonly type: 'DeviceHolderDetached'; readonly data: { readonly holder: Holder; readonly reason: string; readonly atMs: number } }
  /** Handed from one holder to the next without being free in between (a pool hands a ready device to a user). */
  | { readonly type: 'DeviceHolderTransferred'; readonly data: { readonly from: Holder; readonly to: Holder; readonly reason: string; readonly atMs: number } }
  | {
      readonly type: 'DeviceImagingRequested';
      readonly data: { readonly image: string; readonly bootConfig: string; readonly pxeConfig: string; readonly atMs: number };
    }
  | { readonly type: 'DeviceImageInstalled'; readonly data: { readonly image: string; readonly bootConfig: string; readonly atMs: number } }
  | { readonly type: 'DeviceBootConfigSet'; readonly data: { readonly bootConfig: string; readonly atMs: number } }
  | {
      readonly type: 'BootStarted';
      readonly data: {
        readonly bootId: string;
        readonly kind: BootKind;
        readonly image: string | null;
        readonly pxeConfig: string | null;
        readonly atMs: number;
      };
    }
  | { readonly type: 'BootEnded'; readonly data: { readonly bootId: string; readonly outcome: 'complete' | 'failed'; readonly state: LifeGuardState; readonly atMs: number } }
  | { readonly type: 'PowerCycleSucceeded'; readonly data: { readonly atMs: number } }
  | { readonly type: 'PowerCycleFailed'; readonly data: { readonly error: string; readonly atMs: number } }
  | { readonly type: 'PowerOffRequested'; readonly data: { readonly atMs: number } }
  | {
      readonly type: 'PowerCycleRequested';
      /** A BMM power cycle outside the state machine: with a PXE config it is written first, without one PXE is cleared. */
      readonly data: { readonly pxeConfig: string | null; readonly atMs: number };
    }
  | { readonly type: 'PxeClearRequested'; readonly data: { readonly reason: string; readonly atMs: number } }
  | { readonly type: 'VerifyFailed'; readonly data: { readonly error: string; readonly atMs: number } }
  | { readonly type: 'DeviceEventReported'; readonly data: { readonly event: string; readonly state: LifeGuardState; readonly ignored: boolean; readonly atMs: number } }
  | { readonly type: 'DeviceCommentsSet'; readonly data: { readonly comments: string; readonly atMs: number } }
  | { readonly type: 'DeviceEnvironmentSet'; readonly data: { readonly environment: string; readonly atMs: number } }
  | { readonly type: 'DeviceLogged'; readonly data: { readonly source: string; readonly message: string; readonly atMs: number } }
  /**
   * What the device reported about its own hardware (an `lshw`-like report from its second stage), in
   * whatever state it was: recorded, never interpreted by the state machine.
   */
  /**
   * Another server owns the device from now on (`inventory.imagingServer` becomes `to`): its old owner
   * was presumed dead. An inventory file still naming `from` no longer moves it back.
   */
  | { readonly type: 'DeviceHandedOver'; readonly data: { readonly from: string; readonly to: string; readonly atMs: number } }
  | {
      readonly type: 'DeviceFactsReported';
      readonly data: {
        /** What produced the report, e.g. `lshw`. */
        readonly generator: string;
        /** MIME type of `facts`: {@link JSON_FACTS_FORMAT}. */
        readonly format: string;
        readonly facts: JsonObject;
        readonly atMs: number;
      };
    };

/** What a boot is for. */
export type BootKind = 'image' | 'power_cycle' | 'self_test' | 'maintenance';

export type DeviceEventType = DeviceEvent['type'];
