import { deviceAudit, type AuditKind } from '../projections/audit/audit-kinds.js';
import { tokenAudit } from '../projections/audit/token-audit.js';
import type { Dialect } from './dialect.js';
import { mozpoolDialect } from './mozpool/mozpool-dialect.js';
import { vmpoolerDialect } from './vmpooler/vmpooler-dialect.js';
import { drydockDialect } from './drydock/drydock-dialect.js';
import { commissaireDialect } from './commissaire/commissaire-dialect.js';
import { lbaasDialect } from './lbaas/lbaas-dialect.js';

/** Every API family labpool answers in; the app, its error path and OpenAPI loop over this list. */
export const DIALECTS: readonly Dialect[] = [mozpoolDialect, vmpoolerDialect, drydockDialect, commissaireDialect, lbaasDialect];

/** Every audited stream category: the core's devices and tokens, then each family's own, by category. */
export const AUDIT_KINDS: ReadonlyMap<string, AuditKind> = new Map([deviceAudit, tokenAudit, ...DIALECTS.flatMap((dialect) => dialect.auditKinds)].map((kind) => [kind.category, kind]));
