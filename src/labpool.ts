import { readFileSync } from 'node:fs';
import { createActorSystem, type ActorSystem } from './actors/actor-system.js';
import type { LabpoolConfig } from './config/config.js';
import { createApp } from './http/app.js';
import { listen } from './http/server.js';
import { createProjectionRunner, type ProjectionRunner } from './projections/projection-runner.js';
import { createEventStore } from './store/create-store.js';
import type { EventStore } from './store/port.js';

/** A running labpool: its parts for tests and the CLI, and how to stop it. */
export interface RunningLabpool {
  readonly url: string;
  readonly version: string;
  readonly store: EventStore;
  readonly actors: ActorSystem;
  readonly projections: ProjectionRunner;
  stop(): Promise<void>;
}

export function readLabpoolVersion(): string {
  const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return packageJson.version;
}

/** Composition root: config → store → actor system → projections → HTTP. */
export async function startLabpool(config: LabpoolConfig): Promise<RunningLabpool> {
  const version = readLabpoolVersion();
  const store = createEventStore(config.store);
  const actors = createActorSystem({
    store,
    serverId: config.serverId,
    snapshotEvery: config.actors.snapshotEvery,
    idleShutdownMs: config.actors.idleShutdownMs,
    askTimeoutMs: config.actors.queryTimeoutMs,
  });
  const projections = createProjectionRunner(store, []);
  await projections.start();
  const server = await listen(createApp({ version, serverId: config.serverId }), config.http.host, config.http.port);
  return {
    url: server.url,
    version,
    store,
    actors,
    projections,
    async stop() {
      await server.close();
      await actors.stop();
      await projections.stop();
      await store.close();
    },
  };
}
