import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import tar from 'tar-stream';
import type { Middleware } from 'koa';
import { createActorSystem, type ActorSystem } from '../../../src/actors/actor-system.js';
import { createBootactionActor, type BootactionReport } from '../../../src/dialects/drydock/bootactions/bootaction-actor.js';
import { createBootactionService, type BootactionService } from '../../../src/dialects/drydock/bootactions/bootaction-service.js';
import type { DesignBootaction } from '../../../src/dialects/drydock/domain/design.js';
import { registerBootactionRoutes } from '../../../src/dialects/drydock/http/bootaction-routes.js';
import { createBootactionViews, type BootactionViews } from '../../../src/dialects/drydock/projections/bootaction-views.js';
import { createApp } from '../../../src/http/app.js';
import { listen, type ListeningServer } from '../../../src/http/server.js';
import { createProjectionRunner, type ProjectionRunner } from '../../../src/projections/projection-runner.js';
import type { EventStore } from '../../../src/store/port.js';
import { openSqliteStore } from '../../../src/store/sqlite-store.js';

/** The bootaction part of labpool over real HTTP, a real SQLite file and a real actor system. */
export type BootactionHarness = {
  readonly url: string;
  readonly service: BootactionService;
  readonly views: BootactionViews;
  /** Every report the actors told of, in order: what the deploy task would record. */
  readonly reports: { readonly taskId: string; readonly report: BootactionReport }[];
  /** How many requests went through the `read` guard. */
  readonly reads: { count: number };
  /** Stops server, actors and projections, keeps the file: `openBootactionHarness(harness.dir)` starts again. */
  close(): Promise<void>;
  readonly dir: string;
};

export async function openBootactionHarness(dir = mkdtempSync(join(tmpdir(), 'labpool-bootactions-'))): Promise<BootactionHarness> {
  const store: EventStore = openSqliteStore({ path: join(dir, 'events.db') });
  const views = createBootactionViews();
  const runner: ProjectionRunner = createProjectionRunner(store, [views]);
  await runner.start();
  const system: ActorSystem = createActorSystem({ store });
  const reports: BootactionHarness['reports'] = [];
  const kind = system.register(createBootactionActor((taskId, report) => reports.push({ taskId, report })));
  const reads = { count: 0 };
  const read: Middleware = (_ctx, next) => ((reads.count += 1), next());
  const waitFor = (position: bigint) => runner.waitFor(position);
  const app = createApp({ version: 'test', serverId: '127.0.0.1:0' }, { routes: [(router) => registerBootactionRoutes(router, { views, kind, read, waitFor })] });
  const server: ListeningServer = await listen(app, '127.0.0.1', 0);
  const service = createBootactionService({ kind, views, nowMs: Date.now, publicUrl: server.url, waitFor });
  return {
    url: server.url,
    service,
    views,
    reports,
    reads,
    dir,
    async close() {
      await server.close();
      await system.stop();
      await runner.stop();
      await store.close();
    },
  };
}

export function removeHarnessDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** `sim-hello` (signalling, a JSON file naming its id and report URL) and a non-signalling unit. */
export const SIM_BOOTACTIONS: readonly DesignBootaction[] = [
  {
    name: 'sim-hello',
    target: null,
    signaling: true,
    assets: [
      {
        path: '/etc/labpool/hello.json',
        type: 'file',
        permissions: 0o644,
        data: '{"action_id": "{{ action.action_id }}", "report_url": "{{action.report_url}}", "host": "{{ node.hostname }}"}',
        template: true,
      },
    ],
  },
  {
    name: 'motd',
    target: null,
    signaling: false,
    assets: [
      { path: '/etc/systemd/system/motd.service', type: 'unit', permissions: 0o600, data: '[Service]\nExecStart=/bin/echo {{ node.fqdn }} in {{ node.rack }}\n', template: true },
      { path: '/etc/motd', type: 'file', permissions: 0o444, data: 'welcome {{ not rendered }}', template: false },
    ],
  },
];

export const NODE = { hostname: 'sim-0001', fqdn: 'sim-0001.lab', mac: '52:54:00:00:00:01', image: 'ubuntu', rack: 'rack-a' } as const;

export type TarEntry = {
  readonly name: string;
  readonly mode: number | undefined;
  readonly uid: number | undefined;
  readonly gid: number | undefined;
  readonly mtimeMs: number | undefined;
  readonly data: string;
};

export async function untar(gz: Buffer): Promise<TarEntry[]> {
  const extract = tar.extract();
  const entries: TarEntry[] = [];
  const done = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      const { name, mode, uid, gid, mtime } = entry.header;
      entries.push({ name, mode, uid, gid, mtimeMs: mtime?.getTime(), data: Buffer.concat(chunks).toString('utf8') });
    }
  })();
  extract.end(gunzipSync(gz));
  await done;
  return entries;
}
