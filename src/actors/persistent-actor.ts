import type { Decider, DomainEvent, Rejection } from '../domain/decider.js';
import { toDomainEvent } from '../domain/to-domain-event.js';
import { WrongExpectedRevisionError, type EventMetadata, type EventStore, type Json, type LogPosition, type RecordedEvent } from '../store/port.js';

/** How one kind of persistent actor is built: a decider bound to a stream category. */
export interface ActorDefinition<Command, Event extends DomainEvent, State> {
  /** Stream category, without a dash: the actor `42` of category `request` owns stream `request-42`. */
  readonly category: string;
  readonly decider: Decider<Command, Event, State>;
  /** Bump when State's shape changes: snapshots written by another version are then ignored. */
  readonly snapshotVersion?: number;
  /** State ⇄ JSON for snapshots; identity by default (the state must then be JSON already). */
  encodeState?(state: State): Json;
  decodeState?(json: Json): State;
  /**
   * Runs after a decision's events are stored: starts hardware calls, tells other actors. It must not
   * block (the actor's next message waits for it to return) and reports results back as commands.
   */
  react?(reaction: Reaction<Event, State>): void;
}

/** What `react` is told: the actor, the events just stored, the state after them, the command's metadata. */
export interface Reaction<Event, State> {
  readonly id: string;
  readonly events: readonly Event[];
  readonly state: State;
  readonly metadata: EventMetadata;
}

export type CommandOutcome<Event, State> =
  | {
      readonly ok: true;
      readonly events: readonly Event[];
      readonly state: State;
      readonly revision: number;
      /** Global position of the last event appended, for read-your-writes; undefined when none. */
      readonly position: LogPosition | undefined;
    }
  | { readonly ok: false; readonly rejection: Rejection; readonly state: State; readonly revision: number };

export interface PersistentActorSettings {
  readonly store: EventStore;
  /** Write a snapshot once this many events were appended since the last one. */
  readonly snapshotEvery: number;
  /** How many times a decision is re-made after a revision conflict before giving up. */
  readonly maxConflictRetries: number;
  /** Stamped on every event's metadata. */
  readonly serverId: string | undefined;
  readonly onError: (error: unknown, context: string) => void;
}

interface SnapshotEnvelope {
  readonly version: number;
  readonly state: Json;
}

/**
 * The persistence shell of one actor: state = fold of its stream (from the latest snapshot on);
 * one decision's events are appended atomically with the expected revision.
 * Not re-entrant: the mailbox in front of it hands it one message at a time.
 */
export class PersistentActor<Command, Event extends DomainEvent, State> {
  private state: State;
  /** Revision of the last event folded into `state`; -1 for a stream without events. */
  private revision = -1;
  private snapshotRevision = -1;
  private loaded = false;

  constructor(
    readonly stream: string,
    private readonly definition: ActorDefinition<Command, Event, State>,
    private readonly settings: PersistentActorSettings,
  ) {
    this.state = definition.decider.initialState;
  }

  async current(): Promise<{ readonly state: State; readonly revision: number }> {
    await this.ensureLoaded();
    return { state: this.state, revision: this.revision };
  }

  async handle(command: Command, metadata: EventMetadata): Promise<CommandOutcome<Event, State>> {
    for (let attempt = 0; attempt <= this.settings.maxConflictRetries; attempt++) {
      await this.ensureLoaded();
      const decision = this.definition.decider.decide(command, this.state);
      if (!decision.ok) return { ok: false, rejection: decision.rejection, state: this.state, revision: this.revision };
      if (decision.events.length === 0) {
        return { ok: true, events: [], state: this.state, revision: this.revision, position: undefined };
      }
      const position = await this.append(decision.events, metadata);
      if (position !== undefined) {
        // A decision that folded its events already carries the state after them: fold them only otherwise.
        if (decision.state !== undefined) this.state = decision.state;
        else for (const event of decision.events) this.state = this.definition.decider.evolve(this.state, event);
        this.revision += decision.events.length;
        await this.maybeSnapshot();
        return { ok: true, events: decision.events, state: this.state, revision: this.revision, position };
      }
      await this.catchUp();
    }
    const message = `${this.stream}: still conflicting after ${this.settings.maxConflictRetries} retries`;
    return { ok: false, rejection: { code: 'conflict', message }, state: this.state, revision: this.revision };
  }

  /** Appends; undefined on a revision conflict. Any other failure leaves the state unknown: reload next time. */
  private async append(events: readonly Event[], metadata: EventMetadata): Promise<LogPosition | undefined> {
    const stamped = this.settings.serverId === undefined ? metadata : { ...metadata, server: this.settings.serverId };
    const toAppend = events.map((event) => ({ type: event.type, data: event.data, metadata: stamped }));
    try {
      const expected = this.revision < 0 ? 'no_stream' : this.revision;
      return (await this.settings.store.appendToStream(this.stream, toAppend, expected)).position;
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return undefined;
      this.loaded = false;
      throw error;
    }
  }

  private async ensureLoaded(): Promise<void> {
    if (this.loaded) return;
    this.state = this.definition.decider.initialState;
    this.revision = -1;
    const snapshot = await this.settings.store.readSnapshot(this.stream);
    const envelope = snapshot?.state as SnapshotEnvelope | undefined;
    if (snapshot && envelope?.version === (this.definition.snapshotVersion ?? 1)) {
      this.state = this.definition.decodeState ? this.definition.decodeState(envelope.state) : (envelope.state as State);
      this.revision = snapshot.revision;
    }
    this.snapshotRevision = this.revision;
    await this.catchUp();
    this.loaded = true;
  }

  /** Folds the events appended after `revision`, by another writer or before a restart. */
  private async catchUp(): Promise<void> {
    const events = await this.settings.store.readStream(this.stream, this.revision + 1);
    for (const recorded of events) this.foldRecorded(recorded);
  }

  private foldRecorded(recorded: RecordedEvent): void {
    const { decider } = this.definition;
    const event = toDomainEvent(recorded, decider.knownEventTypes);
    // A type this version does not know was written by a newer one: its evolve could not fold it, so
    // it is skipped, and still counts for the revision the next append expects.
    if (event !== undefined) this.state = decider.evolve(this.state, event);
    this.revision = recorded.revision;
  }

  /** A failed snapshot costs only a longer load later, so it is reported, not thrown. */
  private async maybeSnapshot(): Promise<void> {
    if (this.revision - this.snapshotRevision < this.settings.snapshotEvery) return;
    const definition = this.definition;
    const envelope: SnapshotEnvelope = {
      version: this.definition.snapshotVersion ?? 1,
      state: definition.encodeState ? definition.encodeState(this.state) : (this.state as Json),
    };
    try {
      await this.settings.store.writeSnapshot(this.stream, { revision: this.revision, state: envelope as unknown as Json });
      this.snapshotRevision = this.revision;
    } catch (error) {
      this.settings.onError(error, `snapshot of ${this.stream}`);
    }
  }
}
