import type { Identity } from '../../../identity/identity.js';
import type { LabReadModels } from '../../../projections/read-models.js';
import type { Ondemand } from '../actors/ondemand.js';
import type { VmpoolerLab } from '../actors/vmpooler-lab.js';
import type { SummaryReadModel } from '../projections/summary-views.js';

/** What vmpooler's routes need: its lab part, the lab's read models, the identity and a clock. */
export interface VmpoolerDeps {
  readonly lab: VmpoolerLab;
  readonly readModels: LabReadModels;
  readonly identity: Identity;
  nowMs(): number;
  /** Clone, boot and tag figures by day (`/status`, `/summary`); empty ones when absent. */
  readonly summary?: SummaryReadModel;
  /** On-demand requests (`/ondemandvm`); those routes answer 404 when absent. */
  readonly ondemand?: Ondemand;
}

/** The two API versions served: v1 (the spec document: short names plus a top-level domain) and v3 (FQDNs). */
export type ApiVersion = 'v1' | 'v3';
export const API_VERSIONS: readonly ApiVersion[] = ['v1', 'v3'];
