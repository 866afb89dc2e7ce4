import type { Deadline, DomainEvent } from '../domain/decider.js';
import { findStoreUnavailable, type EventMetadata, type EventStore } from '../store/port.js';
import { createDeadlineTimers } from './deadline-timers.js';
import { PersistentActor, type ActorDefinition, type CommandOutcome } from './persistent-actor.js';
import { createRuntime, type ActorRef } from './runtime.js';

/** What an ask gets once the system has stopped: late work of a stopping server, not a fault. */
export class ActorSystemStoppedError extends Error {
  constructor() {
    super('the actor system has stopped');
    this.name = 'ActorSystemStoppedError';
  }
}

export interface ActorSystemOptions {
  readonly store: EventStore;
  /** Snapshot every N events (default 100). */
  readonly snapshotEvery?: number;
  /** Stop actors idle this long; they reload on their next message (default 5 min; 0 = never). */
  readonly idleShutdownMs?: number;
  /** How long `ask` waits for a reply (default 30 s). */
  readonly askTimeoutMs?: number;
  /** Decisions re-made after revision conflicts before rejecting with `conflict` (default 5). */
  readonly maxConflictRetries?: number;
  /** This server's id, stamped on every event's metadata. */
  readonly serverId?: string;
  /** Where infrastructure errors go (a store failure, a throwing decider). Default: console.error. */
  readonly onError?: (error: unknown, context: string) => void;
  /** The clock behind deadlines; tests may replace it. */
  readonly nowMs?: () => number;
  /** How long after a Timeout the store could not write (full, read-only, locked) it is sent again (default 1 s). */
  readonly deadlineRetryMs?: number;
}

/** The handle on one kind of actor; ids are the part of the stream name after the category. */
export interface ActorKind<Command, Event extends DomainEvent, State> {
  /** Sends a command; resolves with its outcome once its events are stored (rejections are values). */
  ask(id: string, command: Command, metadata?: EventMetadata): Promise<CommandOutcome<Event, State>>;
  /** The actor's current state, loading it (and arming its deadline) if it was not running. */
  read(id: string): Promise<{ readonly state: State; readonly revision: number }>;
  /**
   * Arms a deadline the log records for an actor that is not running, without loading it: the actor
   * loads when the deadline fires. A running actor, or one whose deadline is armed already, keeps its own.
   */
  restoreDeadline(id: string, deadline: Deadline): void;
}

export interface ActorSystem {
  register<Command, Event extends DomainEvent, State>(definition: ActorDefinition<Command, Event, State>): ActorKind<Command, Event, State>;
  /** Actors in memory, deadlines armed and commands asked since start (reads not counted), for metrics, tests and benchmarks. */
  stats(): { readonly runningActors: number; readonly armedDeadlines: number; readonly asks: number };
  /** Lets queued messages finish (up to `drainMs`), then stops every actor and timer. */
  stop(drainMs?: number): Promise<void>;
}

type Message =
  | {
      readonly kind: 'command';
      readonly command: unknown;
      readonly metadata: EventMetadata;
      /** Set when a deadline timer sent this command. */
      readonly firedDeadline?: Deadline;
      settle: Settle<CommandOutcome<unknown, unknown>>;
    }
  | { readonly kind: 'read'; settle: Settle<{ state: unknown; revision: number }> };

interface Settle<Value> {
  resolve(value: Value): void;
  reject(error: unknown): void;
}

/** One ask awaiting its reply: settled once, by the actor or by the sweep of overdue asks. */
class Ask<Value> implements Settle<Value> {
  constructor(
    readonly stream: string,
    readonly dueMs: number,
    private readonly onResolve: (value: Value) => void,
    private readonly onReject: (error: unknown) => void,
    private readonly unanswered: Set<Ask<unknown>>,
  ) {}

  resolve(value: Value): void {
    if (this.unanswered.delete(this as Ask<unknown>)) this.onResolve(value);
  }

  reject(error: unknown): void {
    if (this.unanswered.delete(this as Ask<unknown>)) this.onReject(error);
  }
}

interface Entry {
  readonly ref: ActorRef<Message>;
  /** Messages dispatched and not yet handled: an actor with any is never stopped for idleness. */
  inFlight: number;
  lastUsedMs: number;
}

export function createActorSystem(options: ActorSystemOptions): ActorSystem {
  const nowMs = options.nowMs ?? Date.now;
  const onError = options.onError ?? ((error, context) => console.error(`[actors] ${context}:`, error));
  const settings = {
    store: options.store,
    snapshotEvery: options.snapshotEvery ?? 100,
    maxConflictRetries: options.maxConflictRetries ?? 5,
    serverId: options.serverId,
    onError,
  };
  const askTimeoutMs = options.askTimeoutMs ?? 30_000;
  const deadlineRetryMs = options.deadlineRetryMs ?? 1_000;
  /** Asks not answered yet. One sweep rejects the overdue ones: no timer per ask, asks are the hottest path. */
  const unanswered = new Set<Ask<unknown>>();
  const sweepEveryMs = Math.max(5, Math.min(1_000, askTimeoutMs / 10));
  let sweepTimer: NodeJS.Timeout | undefined;
  const idleShutdownMs = options.idleShutdownMs ?? 300_000;
  const runtime = createRuntime();
  const entries = new Map<string, Entry>();
  const deadlineHandlers = new Map<string, (stream: string, deadline: Deadline) => void>();
  const deadlines = createDeadlineTimers((stream, deadline) => deadlineHandlers.get(categoryOf(stream))?.(stream, deadline), nowMs);
  let spawned = 0;
  let stopped = false;
  let asks = 0;

  const sweeper = idleShutdownMs > 0 ? setInterval(stopIdleActors, Math.max(10, Math.min(idleShutdownMs / 2, 60_000))) : undefined;
  sweeper?.unref();

  function stopIdleActors(): void {
    const now = nowMs();
    for (const [stream, entry] of entries) {
      if (entry.inFlight > 0 || now - entry.lastUsedMs < idleShutdownMs) continue;
      entries.delete(stream);
      runtime.stopActor(entry.ref);
    }
  }

  function send<Value>(stream: string, spawn: () => ActorRef<Message>, build: (settle: Settle<Value>) => Message): Promise<Value> {
    if (stopped) return Promise.reject(new ActorSystemStoppedError());
    let entry = entries.get(stream);
    if (!entry) {
      entry = { ref: spawn(), inFlight: 0, lastUsedMs: nowMs() };
      entries.set(stream, entry);
    }
    const target = entry;
    target.inFlight++;
    return new Promise<Value>((resolve, reject) => {
      const ask = new Ask(stream, Date.now() + askTimeoutMs, resolve, reject, unanswered);
      unanswered.add(ask as Ask<unknown>);
      sweepTimer ??= setInterval(rejectOverdueAsks, sweepEveryMs);
      runtime.dispatch(target.ref, build(ask));
    });
  }

  /** The asks are in the set in the order they are due (one timeout for all): stop at the first not due. */
  function rejectOverdueAsks(): void {
    const now = Date.now();
    for (const ask of unanswered) {
      if (ask.dueMs > now) break;
      ask.reject(new Error(`${ask.stream} did not answer within ${askTimeoutMs} ms`));
    }
    if (unanswered.size === 0 && sweepTimer !== undefined) {
      clearInterval(sweepTimer);
      sweepTimer = undefined;
    }
  }

  function register<Command, Event extends DomainEvent, State>(definition: ActorDefinition<Command, Event, State>): ActorKind<Command, Event, State> {
    if (definition.category.includes('-')) throw new Error(`category ${definition.category} contains a dash`);
    if (deadlineHandlers.has(definition.category)) throw new Error(`category ${definition.category} registered twice`);
    const { decider } = definition;

    function spawnActor(stream: string): ActorRef<Message> {
      const actor = new PersistentActor(stream, definition, settings);
      const handle = async (message: Message) => {
        let state: State | undefined;
        try {
          if (message.kind === 'read') {
            const current = await actor.current();
            state = current.state;
            message.settle.resolve(current);
          } else {
            const outcome = await actor.handle(message.command as Command, message.metadata);
            state = outcome.state;
            message.settle.resolve(outcome);
            if (outcome.ok && outcome.events.length > 0) react(stream, outcome.events, outcome.state, message.metadata);
          }
        } catch (error) {
          message.settle.reject(error);
        } finally {
          const entry = entries.get(stream);
          if (entry) {
            entry.inFlight--;
            entry.lastUsedMs = nowMs();
          }
        }
        if (state === undefined) return;
        armNextDeadline(stream, state, message.kind === 'command' ? message.firedDeadline : undefined);
        if (decider.isFinal?.(state) === true) unloadIfIdle(stream);
      };
      return runtime.spawn<Message>(`${stream.replace(/[^a-z0-9._-]/gi, '_')}.${++spawned}`, handle, (error) => onError(error, stream));
    }

    /**
     * An actor in a final state (a closed request, a finished boot) leaves memory as soon as nothing
     * waits for it, not after the idle timeout: a busy lab makes thousands of them a minute. A later
     * message loads it again.
     */
    function unloadIfIdle(stream: string): void {
      const entry = entries.get(stream);
      if (entry === undefined || entry.inFlight > 0) return;
      entries.delete(stream);
      runtime.stopActor(entry.ref);
    }

    function react(stream: string, events: readonly Event[], state: State, metadata: EventMetadata): void {
      if (!definition.react) return;
      try {
        definition.react({ id: stream.slice(definition.category.length + 1), events, state, metadata });
      } catch (error) {
        onError(error, `${stream} reaction`);
      }
    }

    function armNextDeadline(stream: string, state: State, lastFired: Deadline | undefined): void {
      const next = decider.nextDeadline?.(state);
      // A deadline that just fired and is still the nearest would fire again at once, forever: a decider bug.
      if (next && next.name === lastFired?.name && next.atMs === lastFired.atMs) {
        onError(new Error(`deadline ${next.name} at ${next.atMs} survived its own Timeout`), stream);
        deadlines.arm(stream, undefined);
        return;
      }
      deadlines.arm(stream, next);
    }

    function askWith(id: string, command: Command, metadata: EventMetadata, firedDeadline?: Deadline) {
      const stream = `${definition.category}-${id}`;
      const build = (settle: Settle<CommandOutcome<unknown, unknown>>): Message => ({ kind: 'command', command, metadata, firedDeadline, settle });
      asks++;
      return send(stream, () => spawnActor(stream), build) as Promise<CommandOutcome<Event, State>>;
    }

    const kind: ActorKind<Command, Event, State> = {
      ask: (id, command, metadata = {}) => askWith(id, command, metadata),
      read(id) {
        const stream = `${definition.category}-${id}`;
        return send<{ state: State; revision: number }>(
          stream,
          () => spawnActor(stream),
          (settle) => ({ kind: 'read', settle }),
        );
      },
      restoreDeadline(id, deadline) {
        const stream = `${definition.category}-${id}`;
        if (stopped || entries.has(stream) || deadlines.has(stream)) return;
        deadlines.arm(stream, deadline);
      },
    };

    deadlineHandlers.set(definition.category, (stream, deadline) => {
      const timeoutCommand = decider.timeoutCommand?.(deadline, nowMs());
      if (timeoutCommand === undefined) return;
      const id = stream.slice(definition.category.length + 1);
      const metadata = { actor: 'deadline', causationId: `deadline:${deadline.name}@${deadline.atMs}` };
      askWith(id, timeoutCommand, metadata, deadline).catch((error: unknown) => {
        onError(error, `${stream} timeout`);
        if (findStoreUnavailable(error) !== undefined) retryDeadline(stream, deadline);
      });
    });
    return kind;
  }

  /**
   * A Timeout the store refused: its timer has fired and the actor, which did not get to arm its next
   * one, would wait for a message that may never come. The same deadline fires again (a stale one is
   * rejected by `decide`) unless the actor armed another meanwhile.
   */
  function retryDeadline(stream: string, deadline: Deadline): void {
    const timer = setTimeout(() => {
      if (!stopped && !deadlines.has(stream)) deadlines.arm(stream, deadline);
    }, deadlineRetryMs);
    timer.unref();
  }

  return {
    register,
    stats: () => ({ runningActors: entries.size, armedDeadlines: deadlines.size, asks }),
    async stop(drainMs = 5_000) {
      if (stopped) return;
      stopped = true;
      if (sweeper) clearInterval(sweeper);
      deadlines.close();
      const drainUntil = Date.now() + drainMs;
      while ([...entries.values()].some((entry) => entry.inFlight > 0) && Date.now() < drainUntil) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      entries.clear();
      runtime.stop();
    },
  };
}

function categoryOf(stream: string): string {
  return stream.slice(0, stream.indexOf('-'));
}
