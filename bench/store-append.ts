import type { EventStore, EventToAppend } from '../src/store/port.js';

export interface AppendRate {
  readonly scenario: string;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
}

const payload = (n: number): EventToAppend => ({
  type: 'DeviceStateEntered',
  data: { from: 'ready', to: 'pxe_booting', n, timeoutAtMs: 1_700_000_000_000 + n },
  metadata: { correlationId: `bench-${n}`, actor: 'bench' },
});

async function timed(scenario: string, events: number, run: () => Promise<void>): Promise<AppendRate> {
  const started = process.hrtime.bigint();
  await run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { scenario, events, seconds, eventsPerSecond: events / seconds };
}

/** One appender, one event per call, waiting for each: the latency-bound rate. */
export function singleSequential(store: EventStore, prefix: string, count: number): Promise<AppendRate> {
  return timed('single events, 1 appender', count, async () => {
    for (let i = 0; i < count; i++) await store.appendToStream(`${prefix}seq-${i % 100}`, [payload(i)], 'any');
  });
}

/** Many appenders at once, one event per call, each with a revision check on its own stream. */
export function singleConcurrent(store: EventStore, prefix: string, count: number, appenders: number): Promise<AppendRate> {
  return timed(`single events, ${appenders} appenders`, count, async () => {
    const perAppender = Math.ceil(count / appenders);
    await Promise.all(
      Array.from({ length: appenders }, async (_, a) => {
        for (let i = 0; i < perAppender; i++) {
          await store.appendToStream(`${prefix}conc-${a}`, [payload(i)], i === 0 ? 'no_stream' : i - 1);
        }
      }),
    );
  });
}

/** One appender, 100 events per call. */
export function batches(store: EventStore, prefix: string, count: number, batchSize = 100): Promise<AppendRate> {
  return timed(`${batchSize}-event batches, 1 appender`, count, async () => {
    for (let b = 0; b < count / batchSize; b++) {
      const events = Array.from({ length: batchSize }, (_, i) => payload(b * batchSize + i));
      await store.appendToStream(`${prefix}batch-${b}`, events, 'no_stream');
    }
  });
}
