/**
 * Who holds a device. Every API family holds devices its own way (a MozPool request, a vmpooler pool
 * or VM, a Drydock deployment, a Commissaire host (kind `commissaire_cluster`), an LBaaS load
 * balancer); the device actor is the single writer of which one holds it, so one device is never held
 * twice across the families.
 */

export const HOLDER_KINDS = ['mozpool_request', 'vmpooler_pool', 'vmpooler_vm', 'drydock_deployment', 'commissaire_cluster', 'lbaas_loadbalancer'] as const;

export type HolderKind = (typeof HOLDER_KINDS)[number];

/** `id` is the holder's own id within its kind, as text (a request id `42` is `'42'`). */
export type Holder = { readonly kind: HolderKind; readonly id: string };

/** How logs and messages name a holder: `request 42`, `pool centos-7`. */
const HOLDER_NOUNS: Readonly<Record<HolderKind, string>> = {
  mozpool_request: 'request',
  vmpooler_pool: 'pool',
  vmpooler_vm: 'vm',
  drydock_deployment: 'deployment',
  // Its id is the host's address: a Commissaire host holds its device from registration to deletion.
  commissaire_cluster: 'Commissaire host',
  lbaas_loadbalancer: 'load balancer',
};

export function isHolderKind(value: unknown): value is HolderKind {
  return typeof value === 'string' && (HOLDER_KINDS as readonly string[]).includes(value);
}

export function sameHolder(a: Holder | null, b: Holder | null): boolean {
  return a === b || (a !== null && b !== null && a.kind === b.kind && a.id === b.id);
}

export function describeHolder(holder: Holder): string {
  return `${HOLDER_NOUNS[holder.kind]} ${holder.id}`;
}
