import { DecisionBuilder } from '../decision-builder.js';
import type { Decision } from '../decider.js';
import type { BootKind, DeviceEvent, TransitionTrigger } from './device-events.js';
import { limitOf, type DeviceLimits } from './device-limits.js';
import { evolveDevice, type DeviceState } from './device-state.js';
import type { LifeGuardState } from './lifeguard-states.js';

/** A device decision; the emitter's decisions carry the state after their events. */
export type DeviceDecision = Decision<DeviceEvent, DeviceState>;

/** Builds one device decision; chains transitions such as `operation_complete` → `ready`. */
export class DeviceEmitter extends DecisionBuilder<DeviceEvent, DeviceState> {
  constructor(
    state: DeviceState,
    readonly limits: DeviceLimits,
    readonly nowMs: number,
  ) {
    super(state, evolveDevice);
  }

  /** Enters `to`: its counter goes up by one (after a reset when `clearCounters`) and its deadline is set. */
  enter(to: LifeGuardState, trigger: TransitionTrigger, reason: string, clearCounters = false): this {
    const counter = (clearCounters ? 0 : (this.state.counters[to] ?? 0)) + 1;
    const { timeoutMs } = limitOf(this.limits, to);
    const timeoutAtMs = timeoutMs === null ? null : this.nowMs + timeoutMs;
    const data = { from: this.state.state, to, trigger, reason, atMs: this.nowMs, timeoutAtMs, counter, clearedCounters: clearCounters };
    this.emit({ type: 'DeviceStateEntered', data });
    return this.afterEntering(to);
  }

  /** Re-enters the current state (a retry), or fails it once its counter passed the limit. */
  retryOrFail(trigger: TransitionTrigger, reason: string, retryState = this.state.state): this {
    const { state, counters } = this.state;
    const { maxCount } = limitOf(this.limits, state);
    if (maxCount !== null && (counters[state] ?? 0) > maxCount) {
      return this.enter(`failed_${state}`, trigger, `${reason}; ${state} failed ${counters[state]} times`);
    }
    return this.enter(retryState, trigger, reason);
  }

  startBoot(kind: BootKind, image: string | null, pxeConfig: string | null): this {
    // A boot still open (a please command in self_test_running, troubleshooting…) is superseded: end it.
    this.endBoot('failed');
    const bootId = `${this.state.name}.${this.state.seq + 1}`;
    return this.emit({ type: 'BootStarted', data: { bootId, kind, image, pxeConfig, atMs: this.nowMs } });
  }

  log(source: string, message: string): this {
    return this.emit({ type: 'DeviceLogged', data: { source, message, atMs: this.nowMs } });
  }

  private endBoot(outcome: 'complete' | 'failed'): this {
    const { boot, state } = this.state;
    if (boot === null) return this;
    return this.emit({ type: 'BootEnded', data: { bootId: boot.id, outcome, state, atMs: this.nowMs } });
  }

  /** What entering some states implies at once. */
  private afterEntering(to: LifeGuardState): this {
    if (to === 'operation_complete') return this.completeOperation();
    if (to.startsWith('failed_')) return this.endBoot('failed');
    if (to === 'maintenance_mode' || to === 'ready') return this.endBoot('complete');
    return this;
  }

  private completeOperation(): this {
    const { boot, nextImage, nextBootConfig } = this.state;
    if (boot?.kind === 'image' && nextImage !== null) {
      this.emit({ type: 'DeviceImageInstalled', data: { image: nextImage, bootConfig: nextBootConfig, atMs: this.nowMs } });
    }
    return this.endBoot('complete').enter('ready', 'continue', 'operation complete');
  }
}

/** States in which a please command of this kind is accepted (NOTES.md). */
export function acceptsPlease(state: LifeGuardState, kind: 'image' | 'power_cycle' | 'self_test' | 'maintenance'): boolean {
  if (state === 'new' || state === 'ready' || state === 'troubleshooting') return true;
  if (state === 'locked_out') return false;
  const maintenanceLike = state === 'maintenance_mode' || state === 'self_test_running' || state.startsWith('failed_');
  return maintenanceLike && (kind === 'self_test' || kind === 'maintenance');
}

/** States that belong to an operation in progress, where second-stage events matter. */
export function isImageChainState(state: LifeGuardState): boolean {
  return /_(downloading|extracting|rebooting)$/.test(state) && !state.startsWith('failed_');
}
