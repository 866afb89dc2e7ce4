import { createHash, timingSafeEqual } from 'node:crypto';
import type { ActorKind } from '../../actors/actor-system.js';
import type { DomainEvent } from '../../domain/decider.js';
import type { EventStore } from '../../store/port.js';
import { createPeerClient, fromWireOutcome, type PeerClient } from './peer-client.js';

/** Which server owns an actor: undefined when nobody knows (yet); such an actor runs here. */
export type OwnerLookup = (id: string) => string | undefined | Promise<string | undefined>;

/** A kind other servers may ask: its local actors, who owns each, and the commands they may send it. */
export type PeerKind = {
  readonly local: ActorKind<unknown, DomainEvent, unknown>;
  readonly ownerOf: OwnerLookup;
  /** JSON schema of the commands a peer may send; anything else is refused before an actor sees it. */
  readonly commandSchema: object;
};

/**
 * The servers sharing one store, as one server sees them. Each actor runs on its owner only (a
 * device on its imaging server, a request on the server that opened it); a routed kind sends what is
 * asked of another server's actor to that server over HTTP, so the owner's actor stays the single
 * writer of its stream whatever server the call started on.
 */
export interface PeerNetwork {
  readonly serverId: string;
  /** Whether this server calls others and answers their calls: the lab's peer token is configured. */
  readonly enabled: boolean;
  /**
   * `local`, routed: `ask` and `read` of an actor another server owns go to that server (when enabled);
   * the rest runs here. Registers `local` under `name` for the peer route.
   */
  route<Command, Event extends DomainEvent, State>(name: string, local: ActorKind<Command, Event, State>, ownerOf: OwnerLookup, commandSchema: object): ActorKind<Command, Event, State>;
  /** The kind the peer route serves under `name`. */
  kind(name: string): PeerKind | undefined;
  /** Whether an `Authorization` header carries the lab's peer token. */
  isPeer(authorization: string | undefined): boolean;
  /** The server that wrote the first event of `stream` (its owner), from the store: for ids the read models do not know yet. */
  firstWriterOf(stream: string): Promise<string | undefined>;
}

export type PeerNetworkOptions = {
  readonly serverId: string;
  /** The lab's shared secret (`servers.peerToken`); undefined: every actor runs here, as on a lone server. */
  readonly token?: string;
  readonly timeoutMs?: number;
  readonly store?: Pick<EventStore, 'readStream'>;
};

const digest = (text: string) => createHash('sha256').update(text).digest();

export function createPeerNetwork(options: PeerNetworkOptions): PeerNetwork {
  const { serverId, token } = options;
  const client: PeerClient | undefined = token === undefined ? undefined : createPeerClient({ token, timeoutMs: options.timeoutMs ?? 5_000 });
  const kinds = new Map<string, PeerKind>();
  const expected = token === undefined ? undefined : digest(`Bearer ${token}`);

  /** The other server that owns `id`, if any. */
  async function remoteOwner(ownerOf: OwnerLookup, id: string): Promise<string | undefined> {
    const owner = await ownerOf(id);
    return owner === undefined || owner === serverId ? undefined : owner;
  }

  /** `local`, with asks and reads of other servers' actors sent to them. */
  function routed<Command, Event extends DomainEvent, State>(name: string, local: ActorKind<Command, Event, State>, ownerOf: OwnerLookup, peer: PeerClient): ActorKind<Command, Event, State> {
    return {
      async ask(id, command, metadata = {}) {
        const owner = await remoteOwner(ownerOf, id);
        if (owner === undefined) return local.ask(id, command, metadata);
        return fromWireOutcome<Event, State>(await peer.ask(owner, name, id, command, metadata));
      },
      async read(id) {
        const owner = await remoteOwner(ownerOf, id);
        if (owner === undefined) return local.read(id);
        const { state, revision } = await peer.read(owner, name, id);
        return { state: state as State, revision };
      },
      restoreDeadline: (id, deadline) => local.restoreDeadline(id, deadline),
    };
  }

  return {
    serverId,
    enabled: client !== undefined,
    route(name, local, ownerOf, commandSchema) {
      if (kinds.has(name)) throw new Error(`peer kind ${name} is routed twice`);
      kinds.set(name, { local, ownerOf, commandSchema });
      // A lone server keeps the local kind itself: no owner lookup on its hottest path.
      return client === undefined ? local : routed(name, local, ownerOf, client);
    },
    kind: (name) => kinds.get(name),
    isPeer(authorization) {
      if (expected === undefined || authorization === undefined) return false;
      const given = digest(authorization);
      return timingSafeEqual(given, expected);
    },
    async firstWriterOf(stream) {
      const [first] = (await options.store?.readStream(stream)) ?? [];
      const server = first?.metadata.server;
      return typeof server === 'string' ? server : undefined;
    },
  };
}
