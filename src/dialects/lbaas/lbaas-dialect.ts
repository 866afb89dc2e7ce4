import type { ListeningServer } from '../../http/server.js';
import { LAB_WRITER_ROLES, requireTokenRole } from '../../http/access/require-token-role.js';
import type { Dialect, DialectPart } from '../dialect.js';
import { loadTlsCredentials } from './lbaas-certificate.js';
import { lbaasSettingsOf } from './lbaas-config.js';
import { formatLbaasError, isLbaasError } from './http/lbaas-errors.js';
import { registerLbaasReadRoutes, registerLbaasWriteRoutes } from './http/lbaas-routes.js';
import { createLbaasCommands } from './actors/lbaas-commands.js';
import { createLbaasApp, listenLbaas } from './http/lbaas-server.js';
import { createLbaasRegistry, type LbaasRegistry } from './projections/lbaas-registry.js';
import { lbaasIdsDecider } from './domain/lbaas-ids.js';

/** LBaaS on a running lab: its registry, and the URL of its HTTPS port once it serves (undefined when off). */
export type LbaasPart = DialectPart & { readonly registry: LbaasRegistry; url(): string | undefined };

/**
 * The LBaaS Device API: labpool's inventory as a device registry, under `/v1/devices` on an HTTPS port
 * of its own. It registers nothing on the main app: the document requires HTTPS for every call.
 */
export const lbaasDialect: Dialect<LbaasPart> = {
  name: 'lbaas',
  errorPrefixes: ['/v1/devices'],
  formatError: formatLbaasError,
  isErrorBody: isLbaasError,
  registerRoutes: () => undefined,
  routeDocs: {},
  bodySchemas: {},
  auditKinds: [],
  lab(setup) {
    // A configured section without a certificate stops the start here, with what to set.
    const settings = lbaasSettingsOf(setup.config, setup.simulatedLab);
    const registry = createLbaasRegistry();
    return {
      projections: [registry],
      attach(core, system) {
        const commands = createLbaasCommands(core, registry, system.register({ category: 'lbaasids', decider: lbaasIdsDecider }));
        let server: ListeningServer | undefined;
        return {
          registry,
          url: () => server?.url,
          recover: () => Promise.resolve(),
          restoreDeadlines: () => undefined,
          registerRoutes: () => undefined,
          async serve() {
            if (settings === undefined) return undefined;
            const app = createLbaasApp((router) => {
              if (settings.requireToken) router.use(requireTokenRole(setup.identity.tokens, LAB_WRITER_ROLES));
              registerLbaasReadRoutes(router, { registry });
              registerLbaasWriteRoutes(router, { registry, commands });
            }, undefined);
            const tls = await loadTlsCredentials(settings.certificate, settings.host);
            server = await listenLbaas(app, { host: settings.host, port: settings.port, portIsDefault: settings.portIsDefault, tls });
            return server;
          },
        };
      },
    };
  },
};
