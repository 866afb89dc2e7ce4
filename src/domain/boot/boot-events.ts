import type { BootKind } from '../device/device-events.js';

/**
 * Events of a boot stream (`boot-<uuid>`): the audit record of one power-cycle-driven attempt on a
 * device (imaging, plain power cycle, self-test, maintenance), with the time of each step.
 */
export type BootEvent =
  | {
      readonly type: 'BootOpened';
      readonly data: {
        readonly bootId: string;
        readonly device: string;
        readonly kind: BootKind;
        readonly image: string | null;
        readonly pxeConfig: string | null;
        readonly bootConfig: string;
        readonly hardwareType: string;
        readonly requestId: number | null;
        readonly atMs: number;
      };
    }
  | { readonly type: 'BootStageEntered'; readonly data: { readonly stage: string; readonly counter: number; readonly atMs: number } }
  | { readonly type: 'BootPowerCycleAttempted'; readonly data: { readonly ok: boolean; readonly error: string | null; readonly atMs: number } }
  | { readonly type: 'BootDeviceReported'; readonly data: { readonly event: string; readonly atMs: number } }
  | {
      readonly type: 'BootFinished';
      readonly data: {
        readonly outcome: 'complete' | 'failed';
        /** The device state that ended the boot (`operation_complete`, `failed_pxe_booting`…). */
        readonly finalState: string;
        readonly atMs: number;
        readonly durationMs: number;
        /** Time spent in each stage, summed over re-entries. */
        readonly stageDurationsMs: Readonly<Record<string, number>>;
      };
    };

export type BootEventType = BootEvent['type'];
