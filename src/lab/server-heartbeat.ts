import { SERVER_CATEGORY, type ServerEvent } from '../domain/servers/server-events.js';
import type { EventStore } from '../store/port.js';

/** Default of `servers.heartbeatMs`. */
export const DEFAULT_HEARTBEAT_MS = 30_000;

export type HeartbeatOptions = {
  readonly store: EventStore;
  readonly serverId: string;
  readonly version: string;
  readonly heartbeatMs: number;
  readonly nowMs: () => number;
  /** A heartbeat the store refused: reported, and the next one tries again. */
  readonly onError: (error: unknown, context: string) => void;
};

export type Heartbeat = { stop(): void };

/**
 * Records `ServerStarted`, then a `ServerHeartbeat` every `heartbeatMs`, on the server's own stream.
 * Appended with `any`: this server is that stream's only writer, and a lost beat (a store that cannot
 * write) is only a late one, reported, never a reason to stop serving.
 */
export function startHeartbeat(options: HeartbeatOptions): Heartbeat {
  const stream = `${SERVER_CATEGORY}-${options.serverId}`;
  const metadata = { actor: 'server', server: options.serverId };
  const append = (event: ServerEvent) => options.store.appendToStream(stream, [{ type: event.type, data: event.data, metadata }], 'any');
  const beat = (event: ServerEvent) => append(event).catch((error: unknown) => options.onError(error, `${event.type} of ${options.serverId}`));
  void beat({ type: 'ServerStarted', data: { version: options.version, heartbeatMs: options.heartbeatMs, atMs: options.nowMs() } });
  const timer = setInterval(() => void beat({ type: 'ServerHeartbeat', data: { atMs: options.nowMs() } }), options.heartbeatMs);
  // The server's sockets keep the process alive, not its heartbeat.
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
