/**
 * A test-only, in-memory stand-in for one EventStoreDB node: the part of the gRPC API that
 * `@eventstore/db-client` 6.2.1 uses for our adapter. `Streams.Append`, `Streams.BatchAppend` and
 * `Streams.Read` (stream reads, forward `$all` reads, filtered `$all` catch-up subscriptions), and
 * `ServerFeatures.GetSupportedMethods`; every other method answers UNIMPLEMENTED.
 *
 * It can also go down and come back on the same port with its data (`restart`), and play a follower
 * for a while (`actAsFollower`): writes that require the leader are refused with NotLeader.
 */
import * as grpc from '@grpc/grpc-js';
import streamsGrpc from '@eventstore/db-client/generated/streams_grpc_pb.js';
import featuresGrpc from '@eventstore/db-client/generated/serverfeatures_grpc_pb.js';
import featuresPb from '@eventstore/db-client/generated/serverfeatures_pb.js';
import { MemoryLog } from './esdb-memory-log.js';
import { createReadHandler } from './esdb-reads.js';
import { createAppendHandler, createBatchAppendHandler, type AppendHooks } from './esdb-appends.js';

/**
 * `batch-append` (the default) is what a 24.10 node advertises: the client then appends through
 * `Streams.BatchAppend`. `none` answers ServerFeatures with UNIMPLEMENTED, like a node before 21.10:
 * the client falls back to plain `Streams.Append`.
 */
export type EmulatedFeatures = 'none' | 'batch-append';

export interface EsdbEmulatorOptions {
  readonly features?: EmulatedFeatures;
  /** Another emulator whose log this one serves too: two nodes of one cluster, as far as the data goes. */
  readonly sameLogAs?: EsdbEmulator;
}

export interface EsdbEmulator {
  /** `esdb://127.0.0.1:<port>?tls=false` */
  readonly connectionString: string;
  readonly port: number;
  /** Calls per method since start, e.g. `Streams.BatchAppend` (streams opened), `Streams.BatchAppend.appends`, `NotLeader` (refusals). */
  calls(): Readonly<Record<string, number>>;
  /** Refuses the next `count` calls that require the leader with NotLeader, naming the leader at `leaderPort` (default: this node). */
  actAsFollower(count: number, leaderPort?: number): void;
  /** Shuts the gRPC server down (open calls end), keeping the log; `start` brings it back on the same port. */
  goDown(): Promise<void>;
  start(): Promise<void>;
  /** `goDown` then `start`. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const SERVER_VERSION = '24.10.0';

/** What a 24.10 node lists for the methods this emulator serves; the client compares lowercased paths. */
function supportedMethods(): featuresPb.SupportedMethods {
  const method = (service: string, name: string, features: string[] = []) => new featuresPb.SupportedMethod().setServiceName(service).setMethodName(name).setFeaturesList(features);
  const streams = 'event_store.client.streams.streams';
  return new featuresPb.SupportedMethods()
    .setEventStoreServerVersion(SERVER_VERSION)
    .setMethodsList([
      method(streams, 'read', ['position', 'events']),
      method(streams, 'append'),
      method(streams, 'batchappend'),
      method('event_store.client.server_features.serverfeatures', 'getsupportedmethods'),
    ]);
}

/** The trailers a real follower sends: the client turns them into NotLeaderError and reconnects to that endpoint. */
function notLeader(port: number): grpc.ServerErrorResponse {
  const metadata = new grpc.Metadata();
  metadata.set('exception', 'not-leader');
  metadata.set('leader-endpoint-host', '127.0.0.1');
  metadata.set('leader-endpoint-port', String(port));
  return Object.assign(new Error('Leader info available'), { code: grpc.status.NOT_FOUND, details: 'Leader info available', metadata });
}

class Node {
  readonly counts = new Map<string, number>();
  followerCalls = 0;
  leaderPort: number | undefined;
  server: grpc.Server | undefined;
  port = 0;

  constructor(
    readonly features: EmulatedFeatures,
    readonly log: MemoryLog,
  ) {}

  readonly hooks: AppendHooks = {
    count: (method) => this.counts.set(method, (this.counts.get(method) ?? 0) + 1),
    refusal: (metadata) => {
      if (this.followerCalls === 0 || metadata.get('requires-leader')[0] !== 'true') return undefined;
      this.followerCalls -= 1;
      this.hooks.count('NotLeader');
      return notLeader(this.leaderPort ?? this.port);
    },
  };

  async start(): Promise<void> {
    const server = new grpc.Server();
    const isDown = () => this.server !== server;
    const read = createReadHandler(this.log, isDown);
    const append = createAppendHandler(this.log, this.hooks);
    const streams: grpc.UntypedServiceImplementation = { read: (call: Parameters<typeof read>[0]) => (this.hooks.count('Streams.Read'), read(call)), append };
    if (this.features === 'batch-append') {
      streams['batchAppend'] = createBatchAppendHandler(this.log, this.hooks);
      server.addService(featuresGrpc.ServerFeaturesService, { getSupportedMethods: this.getSupportedMethods });
    }
    server.addService(streamsGrpc.StreamsService, streams);
    const credentials = grpc.ServerCredentials.createInsecure();
    this.port = await new Promise<number>((resolve, reject) => server.bindAsync(`127.0.0.1:${this.port}`, credentials, (error, bound) => (error ? reject(error) : resolve(bound))));
    this.server = server;
  }

  private readonly getSupportedMethods: grpc.handleUnaryCall<unknown, featuresPb.SupportedMethods> = (_call, callback) => {
    this.hooks.count('ServerFeatures.GetSupportedMethods');
    callback(null, supportedMethods());
  };

  goDown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.log.wakeAll(); // live subscriptions of the old server see it is down and stop
    server?.forceShutdown();
    return Promise.resolve();
  }
}

const logs = new WeakMap<EsdbEmulator, MemoryLog>();

/** Starts an emulator on an ephemeral port of 127.0.0.1 (insecure). */
export async function startEsdbEmulator(options: EsdbEmulatorOptions = {}): Promise<EsdbEmulator> {
  const node = new Node(options.features ?? 'batch-append', (options.sameLogAs && logs.get(options.sameLogAs)) ?? new MemoryLog());
  await node.start();
  const emulator: EsdbEmulator = {
    connectionString: `esdb://127.0.0.1:${node.port}?tls=false`,
    port: node.port,
    calls: () => Object.fromEntries(node.counts),
    actAsFollower: (count, leaderPort) => {
      node.followerCalls = count;
      node.leaderPort = leaderPort;
    },
    goDown: () => node.goDown(),
    start: () => node.start(),
    restart: async () => {
      await node.goDown();
      await node.start();
    },
    stop: () => node.goDown(),
  };
  logs.set(emulator, node.log);
  return emulator;
}
