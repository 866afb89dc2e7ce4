/**
 * The emulator's data: one in-memory log of events, kept across restarts of the gRPC server so a
 * test can take the "node" down and bring it back with everything it had accepted.
 */
import { randomUUID } from 'node:crypto';

export interface StoredEvent {
  readonly id: string;
  readonly stream: string;
  readonly type: string;
  readonly revision: number;
  /** Both commit and prepare position: a real server reports the event's own log position for both. */
  readonly position: bigint;
  /** `type`, `content-type` and `created` (.NET ticks since the Unix epoch), as the server sends them. */
  readonly metadata: ReadonlyMap<string, string>;
  readonly customMetadata: Uint8Array;
  readonly data: Uint8Array;
}

/** What an append request expects of the stream, whichever of Append or BatchAppend carried it. */
export type ExpectedState = { readonly kind: 'revision'; readonly revision: bigint } | { readonly kind: 'no_stream' } | { readonly kind: 'stream_exists' } | { readonly kind: 'any' };

/** One event of an append request, decoded from either request shape. */
export interface ProposedEvent {
  readonly id: string | undefined;
  readonly metadata: ReadonlyMap<string, string>;
  readonly customMetadata: Uint8Array;
  readonly data: Uint8Array;
}

/** `current` is the stream's last revision before the append (-1: no stream). */
export type AppendOutcome = { readonly kind: 'success'; readonly last: StoredEvent | undefined; readonly current: number } | { readonly kind: 'wrong_expected_version'; readonly current: number };

const TICKS_PER_MS = 10_000n;

function isExpected(expected: ExpectedState, current: number): boolean {
  switch (expected.kind) {
    case 'revision':
      return expected.revision === BigInt(current);
    case 'no_stream':
      return current === -1;
    case 'stream_exists':
      return current >= 0;
    case 'any':
      return true;
    default: {
      const unknown: never = expected;
      throw new Error(`unknown expected state ${JSON.stringify(unknown)}`);
    }
  }
}

export class MemoryLog {
  readonly events: StoredEvent[] = [];
  readonly streams = new Map<string, StoredEvent[]>();
  private readonly waiters = new Set<() => void>();
  /** Far from 0, so that LOG_START is never mistaken for an event's position. */
  private nextPosition = 1_000n;

  /** Synchronous, hence atomic: the revision check and the whole batch happen in one turn. */
  append(stream: string, expected: ExpectedState, proposed: readonly ProposedEvent[]): AppendOutcome {
    const existing = this.streams.get(stream) ?? [];
    const current = existing.length - 1;
    if (!isExpected(expected, current)) return { kind: 'wrong_expected_version', current };
    const appended = proposed.map((message, i) => this.record(stream, current + 1 + i, message));
    this.streams.set(stream, existing.concat(appended));
    this.events.push(...appended);
    this.wakeAll();
    return { kind: 'success', last: appended.at(-1), current };
  }

  /** Resolves on the next append or `wakeAll`; call the returned `wake` to stop waiting early. */
  nextAppend(): { readonly appended: Promise<void>; readonly wake: () => void } {
    let wake!: () => void;
    const appended = new Promise<void>((resolve) => (wake = resolve));
    this.waiters.add(wake);
    return { appended, wake };
  }

  wakeAll(): void {
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }

  private record(stream: string, revision: number, message: ProposedEvent): StoredEvent {
    const metadata = new Map(message.metadata);
    metadata.set('created', String(BigInt(Date.now()) * TICKS_PER_MS));
    const position = this.nextPosition++;
    const id = message.id || randomUUID();
    return { id, stream, type: metadata.get('type') ?? '', revision, position, metadata, customMetadata: message.customMetadata, data: message.data };
  }
}
