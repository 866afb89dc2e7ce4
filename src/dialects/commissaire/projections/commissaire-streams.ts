/**
 * Stream categories of Commissaire's actors: `commhost-<address>`, `commcluster-<name>`,
 * `commnetwork-<name>`, `commcm-<name>`, `clusterop-<kind>-<cluster>`.
 */
export const COMMISSAIRE_CATEGORIES = {
  host: 'commhost',
  cluster: 'commcluster',
  network: 'commnetwork',
  containerManager: 'commcm',
  operation: 'clusterop',
} as const;
