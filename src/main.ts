import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type LabpoolConfig } from './config/config.js';
import { InventoryFileError } from './domain/inventory/inventory-file.js';
import { InventorySyncRefusedError } from './lab/inventory-sync.js';
import { startLabpool } from './labpool.js';
import { DEMO_PASSWORD, DEMO_USER } from './identity/user-directory.js';
import { createLogger, logLevelFromEnv } from './logging/logger.js';
import { vmpoolerDialect } from './dialects/vmpooler/vmpooler-dialect.js';
import { lbaasDialect } from './dialects/lbaas/lbaas-dialect.js';
import { LbaasConfigError } from './dialects/lbaas/lbaas-config.js';

const usage = `usage: labpool [--config <file.json>]
  The config file may also be named by LABPOOL_CONFIG; environment variables override it (see README).`;

/** A start the operator must fix; its message is one line saying what to do. */
class StartRefusedError extends Error {
  override readonly name = 'StartRefusedError';
}

function describeStore(config: LabpoolConfig): string {
  return config.store.kind === 'sqlite' ? `sqlite ${config.store.path}` : `eventstoredb ${config.store.url.replace(/\/\/[^@/]*@/, '//***@')}`;
}

/** The inventory file would retire devices the store holds: most often the store of another lab (the simulated one). */
function refusalAdvice(error: InventorySyncRefusedError, config: LabpoolConfig): string {
  const shown = error.retire.slice(0, 3).join(', ') + (error.retire.length > 3 ? ', …' : '');
  const otherStore = config.store.kind === 'sqlite' ? 'LABPOOL_SQLITE_PATH=<new file>, or store.path in the config file' : 'another EVENTSTORE_URL';
  return (
    `it would retire ${error.retire.length} of the ${error.knownDevices} devices this server has in ${describeStore(config)} (${shown}). ` +
    `To keep them, start on another store (${otherStore}); ` +
    'to retire them, force the sync with LABPOOL_INVENTORY_FORCE_SYNC=1 (or inventory.forceSync: true in the config file)'
  );
}

/** Start failures the operator must fix (the inventory, LBaaS without a certificate), as one line; others keep their stack. */
function explainStartFailure(error: unknown, config: LabpoolConfig): unknown {
  if (error instanceof LbaasConfigError) return new StartRefusedError(error.message);
  const what = `inventory ${config.inventory.file} not applied`;
  if (error instanceof InventorySyncRefusedError) return new StartRefusedError(`${what}: ${refusalAdvice(error, config)}`);
  if (error instanceof InventoryFileError) return new StartRefusedError(`${what}: ${error.problems.join('; ')}`);
  return error;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(usage);
    return;
  }
  const config = loadConfig({ file: values.config, env: process.env });
  const labpool = await startLabpool(config, { logger: createLogger({ level: logLevelFromEnv(process.env) }) }).catch((error: unknown) => {
    throw explainStartFailure(error, config);
  });
  console.log(`labpool ${labpool.version} serving ${labpool.url}/api/ as ${labpool.serverId} (store: ${describeStore(config)})`);
  const simulatedLab = config.inventory.file === null && config.sim.enabled;
  if (simulatedLab && config.sim.external) console.log(`simulated lab: in its own process (sim.external): start it with \`npm run labpool -- sim\` and the same configuration`);
  if (simulatedLab) {
    if (labpool.simLab !== undefined) {
      const pdus = labpool.simLab.pdus.map((pdu) => `${pdu.model} on udp/${pdu.port}`).join(', ');
      console.log(`simulated lab: ${labpool.simLab.devices.length} devices on ${pdus}; TFTP on udp/${config.hardware.tftp.port}`);
    }
    console.log(`try: curl -X POST ${labpool.url}/api/device/any/request/ -d '{"assignee":"me","duration":600,"image":"ubuntu"}'`);
    const pools = labpool.part(vmpoolerDialect).lab.context.config.pools;
    if (pools.length > 0) {
      console.log(`vmpooler pools: ${pools.map((pool) => `${pool.name} (${pool.size}${pool.alias.length > 0 ? `, alias ${pool.alias.join(', ')}` : ''})`).join('; ')}`);
      console.log(`try: curl -X POST ${labpool.url}/api/v1/vm/${pools[0]?.alias[0] ?? pools[0]?.name ?? ''}`);
    }
    if (labpool.identity.users.isDemo) console.log(`user ${DEMO_USER.name}, password ${DEMO_PASSWORD} (${DEMO_USER.roles.join(', ')}): for the token routes and HTTP Basic`);
  }
  const lbaasUrl = labpool.part(lbaasDialect).url();
  if (lbaasUrl !== undefined) console.log(`LBaaS Device API: ${lbaasUrl}/v1/devices (HTTPS only; the simulated lab's certificate is self-signed: curl -k)`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`labpool: ${signal}, stopping`);
    labpool.stop().then(
      () => process.exit(0),
      (error: unknown) => (console.error('labpool: unclean stop:', error), process.exit(1)),
    );
  };
  process.on('SIGHUP', () => {
    if (labpool.inventory.file === undefined) return console.log('labpool: SIGHUP, but no inventory file is configured');
    labpool.inventory.sync(config.inventory.forceSync).then(
      (report) => console.log(`labpool: SIGHUP, inventory ${labpool.inventory.file} applied: ${report.devices} devices, retired ${report.retired.length}`),
      (error: unknown) => console.error(`labpool: SIGHUP, inventory not applied: ${error instanceof Error ? error.message : String(error)}`),
    );
  });
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof StartRefusedError ? `labpool: ${error.message}` : error);
  process.exit(1);
});
