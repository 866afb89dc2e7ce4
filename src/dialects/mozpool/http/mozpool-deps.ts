import type { LabCommands } from '../actors/lab-commands.js';
import type { MozpoolReadModels } from '../projections/mozpool-read-models.js';
import type { MozpoolAccess } from './mozpool-access.js';

/** What the MozPool routes need: the lab's write side, its read models, this server's id and a clock. */
export interface MozpoolDeps {
  /** This server's public `host:port`; devices and requests owned by another server are redirected there. */
  readonly serverId: string;
  readonly lab: LabCommands;
  readonly readModels: MozpoolReadModels;
  /** Epoch ms now: the device log's `timeperiod` and the 5 s state-map cache read it. */
  nowMs(): number;
  /** The locks on its writes and device-side routes (`security`); absent: every door open. */
  readonly access?: MozpoolAccess;
}
