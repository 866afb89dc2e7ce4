import type { Router } from '@koa/router';
import type { Identity } from '../identity/identity.js';
import type { Logger } from '../logging/logger.js';
import type { EventStore, LogPosition } from '../store/port.js';
import type { InventoryAdmin } from './labpool/inventory-routes.js';
import type { MetricsSource } from './labpool/metrics-routes.js';

/** What the HTTP layer needs from the rest of labpool. Later issues add the actors and projections. */
export interface AppDeps {
  /** labpool's version, reported by `GET /api/version/`. */
  readonly version: string;
  /** This server's public `host:port`, the target of MozPool's owner redirects. */
  readonly serverId: string;
  /**
   * The API families' routes over a lab (each family's part registers its own); without them a family
   * serves only what needs no lab, such as MozPool's `GET /api/version/`.
   */
  readonly labRoutes?: readonly RegisterRoutes[];
  /** labpool's own inventory endpoint; absent in tests that do not need it. */
  readonly inventory?: InventoryAdmin;
  /** The event store, for the live event tail and audit replay (read only). */
  readonly store?: EventStore;
  /** Request lines and server errors; without it requests still get ids but nothing is logged. */
  readonly logger?: Logger;
  /** What `GET /metrics` renders (a prom-client Registry); no `/metrics` without it. */
  readonly metrics?: MetricsSource;
  /** Users and tokens: with users configured, labpool's own write routes need an admin or operator token. */
  readonly identity?: Pick<Identity, 'users' | 'tokens'>;
  /** `http.cors.origins`: the only browser origins answered with CORS headers; absent or empty: no CORS. */
  readonly corsOrigins?: readonly string[];
  /** The end of the log as this server has seen it (its projections' position): where a live event tail starts. */
  readonly logHead?: () => LogPosition;
  /** Event tails one client address may hold open at once (the tail route's default without it). */
  readonly maxTailsPerClient?: number;
}

/** Registers one API family's routes on the app's router. */
export type RegisterRoutes = (router: Router, deps: AppDeps) => void;
