import type { EventStore, LogPosition } from '../../../src/store/port.js';
import { errorFamilyOf } from './error-families.js';
import { findProblem } from './fuzz-check.js';
import { createFuzzCase, type FuzzCase, type KnownValues } from './fuzz-cases.js';
import { countReply, createFamilyStats, type FamilyStats } from './fuzz-stats.js';
import { listOperations, type FuzzOperation } from './openapi-operations.js';
import { createPrng, deriveSeed } from './prng.js';
import { createFuzzAgent, sendRaw } from './raw-http.js';

export interface FuzzOptions {
  /** A started labpool: `http://127.0.0.1:<port>`. */
  readonly baseUrl: string;
  /** Its event store: every event a refused request caused is a failure. */
  readonly store: EventStore;
  readonly seed: number;
  readonly requestsPerOperation: number;
  /** Names of real entities, tried in path parameters where the request must fail anyway. */
  readonly known: KnownValues;
}

export interface FuzzReport {
  readonly operations: number;
  readonly families: ReadonlyMap<string, FamilyStats>;
  /** One line per distinct (operation, mutation, problem), with how often it happened. */
  readonly failures: readonly string[];
  /** Events appended by fuzzed requests that were taken (answered 2xx or 3xx), by type. */
  readonly takenEvents: ReadonlyMap<string, number>;
  /** Events appended during the run that no fuzzed request asked for (the lab's own work). */
  readonly otherEvents: number;
  /** The log's last position before and after the run. */
  readonly positions: { readonly before: LogPosition; readonly after: LogPosition };
}

/** Tracks the log: which refused request (by its request id, the events' correlationId) changed it. */
function createLogWatch(store: EventStore, start: LogPosition, requestIdPrefix: string) {
  let position = start;
  let otherEvents = 0;
  const takenEvents = new Map<string, number>();
  const refused = new Map<string, string>();
  return {
    refuse: (requestId: string, what: string) => refused.set(requestId, what),
    /** Reads what was appended since the last look; the refused requests among its causes. */
    async look(): Promise<string[]> {
      const culprits: string[] = [];
      for await (const event of store.readAll(position)) {
        position = event.position;
        const correlationId = event.metadata.correlationId ?? '';
        const what = refused.get(correlationId);
        if (what === undefined && correlationId.startsWith(requestIdPrefix)) takenEvents.set(event.type, (takenEvents.get(event.type) ?? 0) + 1);
        else if (what === undefined) otherEvents++;
        else culprits.push(`${what} → refused, yet appended ${event.type} to ${event.stream}`);
      }
      return culprits;
    },
    get position() {
      return position;
    },
    get otherEvents() {
      return otherEvents;
    },
    get takenEvents() {
      return takenEvents;
    },
  };
}

async function lastPosition(store: EventStore): Promise<LogPosition> {
  let position = 0n;
  for await (const event of store.readAll()) position = event.position;
  return position;
}

async function fetchOperations(baseUrl: string): Promise<FuzzOperation[]> {
  const response = await fetch(`${baseUrl}/api/openapi.json`);
  if (response.status !== 200) throw new Error(`GET /api/openapi.json answered ${response.status}`);
  return listOperations(await response.json());
}

const describeCase = (fuzzCase: FuzzCase) => `${fuzzCase.method} ${fuzzCase.rawPath.length > 100 ? `${fuzzCase.rawPath.slice(0, 100)}…` : fuzzCase.rawPath} [${fuzzCase.mutation}]`;

/**
 * Sends `requestsPerOperation` fuzzed requests to every operation of the server's OpenAPI document,
 * one at a time over a keep-alive loopback connection, and reports what each family answered.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const operations = await fetchOperations(options.baseUrl);
  const baseUrl = new URL(options.baseUrl);
  const agent = createFuzzAgent();
  const before = await lastPosition(options.store);
  const requestIdPrefix = `fuzz-${options.seed}-`;
  const log = createLogWatch(options.store, before, requestIdPrefix);
  const families = new Map<string, FamilyStats>();
  const failures = new Map<string, number>();
  const fail = (key: string) => failures.set(key, (failures.get(key) ?? 0) + 1);
  let sequence = 0;
  try {
    for (const operation of operations) {
      const prng = createPrng(deriveSeed(options.seed, `${operation.method} ${operation.path}`));
      for (let i = 0; i < options.requestsPerOperation; i++) {
        const fuzzCase = createFuzzCase(operation, prng, options.known);
        const requestId = `${requestIdPrefix}${++sequence}`;
        const reply = await sendRaw(baseUrl, fuzzCase, requestId, agent);
        const family = errorFamilyOf(fuzzCase.rawPath).name;
        const stats = families.get(family) ?? families.set(family, createFamilyStats()).get(family)!;
        countReply(stats, reply.ok ? reply.status : undefined, fuzzCase.mustFail);
        const problem = findProblem(fuzzCase, reply);
        if (problem !== undefined) fail(`${family} ${operation.method} ${operation.path}: ${describeCase(fuzzCase)} → ${problem}`);
        if (!reply.ok || reply.status >= 400) log.refuse(requestId, `${family} ${describeCase(fuzzCase)}`);
        for (const culprit of await log.look()) fail(culprit);
      }
    }
  } finally {
    agent.destroy();
  }
  for (const culprit of await log.look()) fail(culprit);
  return {
    operations: operations.length,
    families,
    failures: [...failures].map(([key, count]) => `${count}× ${key}`),
    takenEvents: log.takenEvents,
    otherEvents: log.otherEvents,
    positions: { before, after: log.position },
  };
}
