import type { CommandOutcome } from '../../actors/persistent-actor.js';
import type { EventMetadata } from '../../store/port.js';

/** An outcome as it crosses between servers: JSON, with the log position as decimal text. */
export type WireOutcome =
  | { readonly ok: true; readonly events: readonly unknown[]; readonly state: unknown; readonly revision: number; readonly position: string | null }
  | { readonly ok: false; readonly rejection: { readonly code: string; readonly message: string }; readonly state: unknown; readonly revision: number };

/** A call to another server that did not come back with an outcome: unreachable, too slow, refused. */
export class PeerCallError extends Error {
  /** The call was not made: the server did not answer a moment ago and is left alone for now. */
  readonly unasked: boolean;

  constructor(
    readonly server: string,
    message: string,
    options?: ErrorOptions & { readonly unasked?: boolean },
  ) {
    super(`server ${server}: ${message}`, options);
    this.name = 'PeerCallError';
    this.unasked = options?.unasked ?? false;
  }
}

export function toWireOutcome(outcome: CommandOutcome<unknown, unknown>): WireOutcome {
  const { state, revision } = outcome;
  if (!outcome.ok) return { ok: false, rejection: outcome.rejection, state, revision };
  return { ok: true, events: outcome.events, state, revision, position: outcome.position === undefined ? null : String(outcome.position) };
}

export function fromWireOutcome<Event, State>(wire: WireOutcome): CommandOutcome<Event, State> {
  const state = wire.state as State;
  if (!wire.ok) return { ok: false, rejection: wire.rejection, state, revision: wire.revision };
  return { ok: true, events: wire.events as Event[], state, revision: wire.revision, position: wire.position === null ? undefined : BigInt(wire.position) };
}

/** How one server asks another's actors: the path of the owner's peer route, with this lab's shared token. */
export type PeerClient = {
  ask(server: string, kind: string, id: string, command: unknown, metadata: EventMetadata): Promise<WireOutcome>;
  read(server: string, kind: string, id: string): Promise<{ readonly state: unknown; readonly revision: number }>;
};

export type PeerClientOptions = {
  readonly token: string;
  /** How long one call may take before it counts as unanswered. */
  readonly timeoutMs: number;
  /** How long a server that did not answer is not asked again (default {@link QUIET_MS}). */
  readonly quietMs?: number;
  readonly nowMs?: () => number;
};

/** A server that did not answer is left alone this long: calls meanwhile fail at once. */
export const QUIET_MS = 5_000;

/** The peer route of `kind`/`id` on `server` (a `host:port` server id). */
export function peerUrl(server: string, kind: string, id: string): string {
  return `http://${server}/labpool/peer/${encodeURIComponent(kind)}/${encodeURIComponent(id)}/`;
}

export function createPeerClient(options: PeerClientOptions): PeerClient {
  const nowMs = options.nowMs ?? Date.now;
  /** Servers that did not answer, and until when they are not asked again: a dead server costs one timeout, not one per call. */
  const silentUntilMs = new Map<string, number>();

  async function call<Body>(server: string, url: string, init: RequestInit): Promise<Body> {
    const silentUntil = silentUntilMs.get(server);
    if (silentUntil !== undefined && nowMs() < silentUntil) throw new PeerCallError(server, `did not answer a moment ago; asked again after ${new Date(silentUntil).toISOString()}`, { unasked: true });
    let response: Response;
    try {
      const headers = { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' };
      response = await fetch(url, { ...init, headers, signal: AbortSignal.timeout(options.timeoutMs) });
    } catch (error) {
      silentUntilMs.set(server, nowMs() + (options.quietMs ?? QUIET_MS));
      throw new PeerCallError(server, `no answer (${describe(error)})`, { cause: error });
    }
    silentUntilMs.delete(server);
    const text = await response.text().catch(() => '');
    if (response.status !== 200) throw new PeerCallError(server, `answered ${response.status}: ${detailOf(text)}`);
    try {
      return JSON.parse(text) as Body;
    } catch (error) {
      throw new PeerCallError(server, 'answered something that is not JSON', { cause: error });
    }
  }
  return {
    ask: (server, kind, id, command, metadata) => call<WireOutcome>(server, peerUrl(server, kind, id), { method: 'POST', body: JSON.stringify({ command, metadata }) }),
    read: (server, kind, id) => call(server, peerUrl(server, kind, id), { method: 'GET' }),
  };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/** The `detail` of a problem+json answer, else the start of the body. */
function detailOf(text: string): string {
  try {
    const body = JSON.parse(text) as { detail?: unknown };
    if (typeof body.detail === 'string') return body.detail;
  } catch {
    // not JSON: the text itself says what went wrong
  }
  return text.slice(0, 200);
}
