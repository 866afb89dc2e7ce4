import type { Registry } from 'prom-client';
import type { ActorSystem } from '../actors/actor-system.js';
import type { LabpoolConfig } from '../config/config.js';
import type { ErrorFormatter, ErrorShape } from '../http/errors.js';
import type { RouteDocs } from '../http/openapi/route-doc.js';
import type { ListeningServer } from '../http/server.js';
import type { RegisterRoutes } from '../http/routes.js';
import type { Identity } from '../identity/identity.js';
import type { Lab } from '../lab/lab.js';
import type { AuditKind } from '../projections/audit/audit-kinds.js';
import type { Projection } from '../projections/projection-runner.js';
import type { LabReadModels } from '../projections/read-models.js';

/**
 * One API family labpool speaks (MozPool, then vmpooler, Drydock, Commissaire, LBaaS): everything
 * the composition root, the shared HTTP app, its error path and the OpenAPI document need from it.
 * Adding a family is its folder under src/dialects/ and one line in `dialects.ts`.
 */
export interface Dialect<Part extends DialectPart = DialectPart> {
  readonly name: string;
  /** Under these path prefixes errors take the family's own shape (the longest matching prefix wins). */
  readonly errorPrefixes: readonly string[];
  readonly formatError: ErrorFormatter;
  /** Request bodies under its prefixes larger than this many bytes are refused with 413 (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /**
   * Under its prefixes a body that is not JSON (or too deep) is not refused before the route runs: the
   * error waits in `ctx.state.bodyError` until the route reads the body (`readJsonBody`), so that its
   * credentials are checked first (Drydock answers 401 before 400).
   */
  readonly deferBodyErrors?: boolean;
  /** Whether a body is one of its error bodies, whoever wrote it (its formatter or a route's own): the fuzzer's check. */
  readonly isErrorBody: ErrorShape;
  /** Routes it serves with or without a lab (MozPool's `GET /api/version/`); the lab's own come from its part. */
  readonly registerRoutes: RegisterRoutes;
  /** Descriptions of its routes for the OpenAPI document, by `METHOD /openapi/path/`. */
  readonly routeDocs: RouteDocs;
  /** The JSON schemas its routes validate request bodies with, by `METHOD /openapi/path/`. */
  readonly bodySchemas: Readonly<Record<string, object>>;
  /** Its streams an audit replays (`GET /api/<category>/{id}/history/`, `labpool history <category>`). */
  readonly auditKinds: readonly AuditKind[];
  /**
   * Routes registered after every other route of the app: a catch-all under its prefixes (vmpooler
   * answers 404, never 405, to any other route).
   */
  readonly registerFallbackRoutes?: RegisterRoutes;
  /** Its part of a running lab: read models, metrics, actors, reactions, recovery, routes. */
  readonly lab: (setup: DialectSetup) => DialectLab<Part>;
}

/** What a family's lab part is given before the projections start. */
export interface DialectSetup {
  readonly config: LabpoolConfig;
  /** The lab's read models (devices, catalogue), filled by the same projection runner as the family's. */
  readonly readModels: LabReadModels;
  /** This server's metrics registry: a family registers its own gauges and counters on it. */
  readonly metrics: Registry;
  /** Users and tokens, shared by every family. */
  readonly identity: Identity;
  /** This server runs the simulated lab (`npm start` without an inventory): a family may bring demo settings. */
  readonly simulatedLab: boolean;
}

/** A family's part before the lab exists: what the projection runner must fold for it. */
export interface DialectLab<Part extends DialectPart = DialectPart> {
  /** Its read models' projections and deadline indexes, run with the core's from the start of the log. */
  readonly projections: readonly Projection[];
  /** Puts its actors and holder reactions on the core lab, once the projections have caught up. */
  attach(lab: Lab, system: ActorSystem): Part;
}

/** A family on a running lab. */
export interface DialectPart {
  /**
   * Finishes what a crash cut short between the family's holders and their devices (each command it
   * sends is idempotent). At start, after the core resumed its devices' work; again after a handover,
   * limited to the `devices` it moved here (the rest of this server's work is live then).
   */
  recover(devices?: ReadonlySet<string>): Promise<void>;
  /**
   * Takes over the family's own actors that server `from` ran (a handover of a dead server): they run
   * here from now on, with their deadlines. Returns what it took, as logs name them (`request 42`).
   */
  takeOver?(from: string): Promise<readonly string[]>;
  /** Arms the deadlines the log records for the family's actors on this server. Once, after `recover`. */
  restoreDeadlines(): void;
  /** Starts the family's own background work (vmpooler's pool manager), once the lab is whole. */
  start?(): void;
  /** Stops that work; the actors stop after it. */
  stop?(): void;
  /** Its routes on this lab. */
  readonly registerRoutes: RegisterRoutes;
  /**
   * Starts a server of its own (LBaaS's HTTPS port), after the main one; undefined when it has none
   * or it is off. The composition root closes it before the main one.
   */
  serve?(): Promise<ListeningServer | undefined>;
}
