import type { AllStreamResolvedEvent, AllStreamSubscription } from '@eventstore/db-client';
import type { LogFilter, LogPosition, RecordedEvent, Subscription, SubscriptionHandler } from './port.js';
import { packPosition, toVisibleEvent } from './eventstoredb-events.js';
import { isTransient } from './eventstoredb-errors.js';

/** Pause the server stream when this many deliveries wait for a slow handler. */
const MAX_QUEUED = 1_000;
/** Pauses between tries to reopen a dropped subscription: doubling from the first to the last. */
const FIRST_REOPEN_DELAY_MS = 50;
const MAX_REOPEN_DELAY_MS = 2_000;

type Delivery = { readonly kind: 'event'; readonly event: RecordedEvent } | { readonly kind: 'caughtUp' } | { readonly kind: 'error'; readonly error: Error };

/** Opens a client subscription to `$all` after `after` (exclusive). */
export type OpenSubscription = (after: LogPosition) => AllStreamSubscription;

/**
 * Feeds client subscriptions to a handler, one awaited call at a time, in log order. When the server
 * drops the subscription (it went down, restarted, or the connection broke) it reopens one after the
 * last event it received, until closed, so the handler sees no gap and no duplicate. Only errors
 * that are not transient reach `onError`. `onCaughtUp` fires once, for the first catch-up.
 */
export class CatchUpSubscription implements Subscription {
  private readonly queue: Delivery[] = [];
  private source: AllStreamSubscription;
  private received = 0;
  private caughtUpAfter: number | undefined;
  private caughtUpSeen = false;
  private stopped = false;
  private pump: Promise<void> | undefined;
  private reopenTimer: NodeJS.Timeout | undefined;
  private reopenDelayMs = FIRST_REOPEN_DELAY_MS;

  constructor(
    private readonly open: OpenSubscription,
    /** The position of the last event received: every later source starts after it, and shows nothing up to it. */
    private after: LogPosition,
    private readonly handler: SubscriptionHandler,
    private readonly filter: LogFilter | undefined,
  ) {
    this.source = this.attach(open(after));
  }

  async close(): Promise<void> {
    this.stop();
    clearTimeout(this.reopenTimer);
    await this.source.unsubscribe();
    await this.pump;
  }

  private attach(source: AllStreamSubscription): AllStreamSubscription {
    source.on('data', (resolved: AllStreamResolvedEvent) => this.receive(resolved));
    source.on('caughtUp', () => this.markCaughtUp());
    source.on('confirmation', () => (this.reopenDelayMs = FIRST_REOPEN_DELAY_MS));
    source.on('error', (error: Error) => this.dropped(source, error));
    source.on('end', () => this.dropped(source, undefined));
    return source;
  }

  /** The source ended or failed: reopen after the last received event, unless the error is fatal or we closed. */
  private dropped(source: AllStreamSubscription, error: Error | undefined): void {
    if (source !== this.source || this.stopped || this.reopenTimer !== undefined) return;
    if (error !== undefined && !isTransient(error)) return this.enqueue({ kind: 'error', error });
    source.removeAllListeners('data');
    source.removeAllListeners('caughtUp');
    this.caughtUpAfter = undefined;
    this.reopenTimer = setTimeout(() => this.reopen(), this.reopenDelayMs);
    this.reopenDelayMs = Math.min(this.reopenDelayMs * 2, MAX_REOPEN_DELAY_MS);
  }

  private reopen(): void {
    this.reopenTimer = undefined;
    if (this.stopped) return;
    this.source = this.attach(this.open(this.after));
  }

  private receive(resolved: AllStreamResolvedEvent): void {
    this.received += 1;
    const recorded = toVisibleEvent(resolved, this.after, this.filter);
    // Hidden and filtered-out events move the resume point too: they need not be read again.
    const position = resolved.event?.position;
    if (position !== undefined && packPosition(position) > this.after) this.after = packPosition(position);
    if (recorded !== undefined) this.enqueue({ kind: 'event', event: recorded });
    if (this.received !== this.caughtUpAfter) return;
    this.caughtUpAfter = undefined;
    this.enqueueCaughtUp();
  }

  /** The client emits `caughtUp` on arrival, while earlier events may still sit in its buffer: deliver it after them. */
  private markCaughtUp(): void {
    const buffered = this.source.readableLength;
    if (buffered === 0) this.enqueueCaughtUp();
    else this.caughtUpAfter ??= this.received + buffered;
  }

  private enqueueCaughtUp(): void {
    if (this.caughtUpSeen) return;
    this.caughtUpSeen = true;
    this.enqueue({ kind: 'caughtUp' });
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
