import type { VmpoolerLab } from '../../src/dialects/vmpooler/actors/vmpooler-lab.js';
import { DEFAULT_VMPOOLER_SETTINGS } from '../../src/dialects/vmpooler/domain/pool-config.js';
import type { VmpoolerDeps } from '../../src/dialects/vmpooler/http/vmpooler-deps.js';
import { createPoolViews } from '../../src/dialects/vmpooler/projections/pool-views.js';
import type { Identity } from '../../src/identity/identity.js';
import { createUserDirectory } from '../../src/identity/user-directory.js';
import { createTokenViews } from '../../src/projections/identity/token-views.js';
import type { LabReadModels } from '../../src/projections/read-models.js';

const noActors = (): never => {
  throw new Error('this vmpooler lab only lists routes');
};

/**
 * vmpooler's route dependencies for tests that only list routes (the OpenAPI document): real pool
 * views, configuration, users and token views, but no actors. A route that needs them fails loudly.
 */
export function createRouteListingVmpoolerDeps(readModels: LabReadModels, nowMs: () => number): VmpoolerDeps {
  const context = {
    pools: createPoolViews(),
    config: { pools: [], settings: DEFAULT_VMPOOLER_SETTINGS },
    waitFor: noActors,
    get kinds(): never {
      return noActors();
    },
  };
  const manager = { reconcile: noActors, start: noActors, stop: noActors, effective: () => undefined, idle: noActors };
  const lab = { context, manager, checkout: noActors, recover: noActors, restoreDeadlines: noActors };
  const tokenViews = createTokenViews();
  const tokens = { create: noActors, verify: noActors, revoke: noActors, list: () => [], describe: () => undefined };
  const identity: Identity = { users: createUserDirectory([]), tokens, tokenViews };
  return { lab: lab as unknown as VmpoolerLab, readModels, identity, nowMs };
}
