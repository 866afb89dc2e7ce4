import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config/config.js';
import { startLabpool } from './labpool.js';
import { createLogger, logLevelFromEnv } from './logging/logger.js';

const usage = `usage: labpool [--config <file.json>]
  The config file may also be named by LABPOOL_CONFIG; environment variables override it (see README).`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(usage);
    return;
  }
  const config = loadConfig({ file: values.config, env: process.env });
  const labpool = await startLabpool(config, { logger: createLogger({ level: logLevelFromEnv(process.env) }) });
  const where = config.store.kind === 'sqlite' ? `sqlite ${config.store.path}` : `eventstoredb ${config.store.url.replace(/\/\/[^@/]*@/, '//***@')}`;
  console.log(`labpool ${labpool.version} serving ${labpool.url}/api/ as ${labpool.serverId} (store: ${where})`);
  if (labpool.simLab !== undefined) {
    const pdus = labpool.simLab.pdus.map((pdu) => `${pdu.model} on udp/${pdu.port}`).join(', ');
    console.log(`simulated lab: ${labpool.simLab.devices.length} devices on ${pdus}; TFTP on udp/${config.hardware.tftp.port}`);
    console.log(`try: curl -X POST ${labpool.url}/api/device/any/request/ -d '{"assignee":"me","duration":600,"image":"ubuntu"}'`);
  }
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
  console.error(error instanceof ConfigError ? `labpool: ${error.message}` : error);
  process.exit(1);
});
