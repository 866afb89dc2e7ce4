import type { AllStreamResolvedEvent, AllStreamSubscription } from '@eventstore/db-client';
import type { LogFilter, LogPosition, RecordedEvent, Subscription, SubscriptionHandler } from './port.js';
import { toVisibleEvent } from './eventstoredb-events.js';

/** Pause the server stream when this many deliveries wait for a slow handler. */
const MAX_QUEUED = 1_000;

type Delivery = { readonly kind: 'event'; readonly event: RecordedEvent } | { readonly kind: 'caughtUp' } | { readonly kind: 'error'; readonly error: Error };

/** Feeds one client subscription to a handler, one awaited call at a time, in log order. */
export class CatchUpSubscription implements Subscription {
  private readonly queue: Delivery[] = [];
  private received = 0;
  private caughtUpAfter: number | undefined;
  private stopped = false;
  private pump: Promise<void> | undefined;

  constructor(
    private readonly source: AllStreamSubscription,
    private readonly from: LogPosition,
    private readonly handler: SubscriptionHandler,
    private readonly filter: LogFilter | undefined,
  ) {
    source.on('data', (resolved: AllStreamResolvedEvent) => this.receive(resolved));
    source.on('caughtUp', () => this.markCaughtUp());
    source.on('error', (error: Error) => this.enqueue({ kind: 'error', error }));
    source.on('end', () => this.enqueue({ kind: 'error', error: new Error('EventStoreDB ended the subscription') }));
  }

  async close(): Promise<void> {
    this.stop();
    await this.source.unsubscribe();
    await this.pump;
  }

  private receive(resolved: AllStreamResolvedEvent): void {
    this.received += 1;
    const recorded = toVisibleEvent(resolved, this.from, this.filter);
    if (recorded !== undefined) this.enqueue({ kind: 'event', event: recorded });
    if (this.received !== this.caughtUpAfter) return;
    this.caughtUpAfter = undefined;
    this.enqueue({ kind: 'caughtUp' });
  }

  /** The client emits `caughtUp` on arrival, while earlier events may still sit in its buffer: deliver it after them. */
  private markCaughtUp(): void {
    const buffered = this.source.readableLength;
    if (buffered === 0) this.enqueue({ kind: 'caughtUp' });
    else this.caughtUpAfter ??= this.received + buffered;
  }

  private enqueue(delivery: Delivery): void {
    if (this.stopped) return;
    this.queue.push(delivery);
    if (this.queue.length >= MAX_QUEUED) this.source.pause();
    this.pump ??= this.drain();
  }

  private async drain(): Promise<void> {
    for (let next = this.queue.shift(); next !== undefined && !this.stopped; next = this.queue.shift()) {
      if (this.source.isPaused() && this.queue.length < MAX_QUEUED / 2) this.source.resume();
      await this.deliver(next);
    }
    this.pump = undefined;
  }

  private async deliver(delivery: Delivery): Promise<void> {
    try {
      if (delivery.kind === 'event') await this.handler.onEvent(delivery.event);
      else if (delivery.kind === 'caughtUp') this.handler.onCaughtUp?.();
      else this.fail(delivery.error);
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private fail(error: Error): void {
    if (this.stopped) return;
    this.stop();
    void this.source.unsubscribe();
    this.handler.onError?.(error);
  }

  private stop(): void {
    this.stopped = true;
    this.queue.length = 0;
  }
}
