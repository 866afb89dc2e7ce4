import { createAuditFold, type AuditKind } from '../../../projections/audit/audit-kinds.js';
import { POOL_EVENT_TYPES, evolvePool, initialPoolState, type PoolEvent, type PoolState } from '../domain/pool-decider.js';
import { VM_EVENT_TYPES, evolveVm, initialVmState, type VmState } from '../domain/vm-decider.js';
import type { VmEvent } from '../domain/vm-events.js';
import { VM_ID_PATTERN } from '../domain/vm-holder.js';
import { POOL_NAME } from '../domain/pool-config.js';

/** A VM's state with the one word an audit lists it by: `running` until deleted or expired. */
type AuditedVm = VmState & { readonly state: 'none' | 'running' | 'deleted' };

function vmPhase(vm: VmState): AuditedVm['state'] {
  if (vm.id === null) return 'none';
  return vm.deletedAtMs === null ? 'running' : 'deleted';
}

const auditedVm = (vm: VmState): AuditedVm => ({ ...vm, state: vmPhase(vm) });

/** VMs by their 15-character id (`vm-<id>`); a host name is the device's, and names no VM. */
export const vmAudit: AuditKind = {
  category: 'vm',
  parseId: (raw) => (VM_ID_PATTERN.test(raw) ? raw : undefined),
  streamOf: (id) => `vm-${id}`,
  describeBadId: (raw) => `a vm id is 15 characters [a-z0-9], not '${raw}'`,
  fold: createAuditFold<VmEvent, AuditedVm>({ initialState: auditedVm(initialVmState), evolve: (vm, event) => auditedVm(evolveVm(vm, event)), knownTypes: VM_EVENT_TYPES }),
};

/** A pool's run-time overrides, with `overridden` while any differs from the configuration file. */
type AuditedPool = PoolState & { readonly state: 'configured' | 'overridden' };

const auditedPool = (pool: PoolState): AuditedPool => ({ ...pool, state: pool.size === null && pool.image === null ? 'configured' : 'overridden' });

/** Pools by name (`pool-<name>`): the overrides operators made, not its devices (their own streams hold those). */
export const poolAudit: AuditKind = {
  category: 'pool',
  parseId: (raw) => (POOL_NAME.test(raw) ? raw : undefined),
  streamOf: (id) => `pool-${id}`,
  describeBadId: (raw) => `bad pool name '${raw}'`,
  fold: createAuditFold<PoolEvent, AuditedPool>({ initialState: auditedPool(initialPoolState), evolve: (pool, event) => auditedPool(evolvePool(pool, event)), knownTypes: POOL_EVENT_TYPES }),
};
