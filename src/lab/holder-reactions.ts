import type { DeviceEvent } from '../domain/device/device-events.js';
import type { DeviceState } from '../domain/device/device-state.js';
import type { Holder, HolderKind } from '../domain/holders/holder.js';
import type { EventMetadata } from '../store/port.js';

/**
 * How one kind of holder hears from the devices it holds: a pure `react` (fmodel's saga: an event of
 * the device and its state after the decision → commands for the holder) and `deliver`, which sends
 * one of them to the holder's actor. Each API family registers one per holder kind it owns.
 */
export type HolderReactions<Command> = {
  readonly kind: HolderKind;
  react(event: DeviceEvent, device: DeviceState): readonly Command[];
  deliver(holderId: string, command: Command, cause: EventMetadata): Promise<unknown>;
};

/** Work the dispatcher found for a holder: run it without waiting (the caller reports failures). */
export type HolderDelivery = { readonly holder: Holder; readonly run: () => Promise<unknown> };

export type HolderDispatcher = {
  register<Command>(reactions: HolderReactions<Command>): void;
  /** What the holder of `device` must be told about `events` (stored by one decision), in order. */
  deliveries(device: DeviceState, events: readonly DeviceEvent[], cause: EventMetadata): readonly HolderDelivery[];
};

type Registered = (holder: Holder, device: DeviceState, events: readonly DeviceEvent[], cause: EventMetadata) => HolderDelivery[];

/** One dispatcher per lab, keyed by holder kind; a kind registers once. */
export function createHolderDispatcher(): HolderDispatcher {
  const byKind = new Map<HolderKind, Registered>();
  return {
    register<Command>(reactions: HolderReactions<Command>) {
      if (byKind.has(reactions.kind)) throw new Error(`holder kind ${reactions.kind} is registered twice`);
      byKind.set(reactions.kind, (holder, device, events, cause) =>
        events.flatMap((event) => reactions.react(event, device)).map((command) => ({ holder, run: () => reactions.deliver(holder.id, command, cause) })),
      );
    },
    deliveries(device, events, cause) {
      const { holder } = device;
      if (holder === null) return [];
      return byKind.get(holder.kind)?.(holder, device, events, cause) ?? [];
    },
  };
}
