import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ENV_VARIABLES } from '../../src/config/config-defaults.js';
import { loadConfig } from '../../src/config/config.js';
import { parseInventoryFile } from '../../src/domain/inventory/inventory-file.js';
import { createRelayInfoCheck } from '../../src/hardware/power/relay-info.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const CONFIG_EXAMPLE = 'config/labpool.example.json';
const INVENTORY_EXAMPLE = 'config/inventory.example.json';

/** Maps whose keys the operator chooses, by path: documented once under a placeholder. */
const PLACEHOLDERS: Readonly<Record<string, string>> = {
  'hardware.power.models': '<model>',
  'images[].pxeConfigs': '<hardwareType>',
  'devices[].labels': '<key>',
  racks: '<name>',
  'racks.<name>.labels': '<key>',
};

/** Every field of a JSON document as the documentation names it: `http.port`, `devices[].name`, `hardware.power.models.<model>.onValue`. */
function fieldPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) {
    const objects = value.filter((item) => typeof item === 'object' && item !== null);
    return objects.length === 0 ? [prefix] : [...new Set(objects.flatMap((item) => fieldPaths(item, `${prefix}[]`)))];
  }
  if (typeof value !== 'object' || value === null) return [prefix];
  const placeholder = PLACEHOLDERS[prefix];
  return [
    ...new Set(
      Object.entries(value).flatMap(([key, child]) => {
        const path = `${prefix === '' ? '' : `${prefix}.`}${placeholder ?? key}`;
        return placeholder !== undefined && (typeof child !== 'object' || child === null) ? [path] : fieldPaths(child, path);
      }),
    ),
  ];
}

describe('the example files', () => {
  const config = loadConfig({ file: new URL(`../../${CONFIG_EXAMPLE}`, import.meta.url).pathname, env: {} });

  it('the example config is valid', () => {
    assert.equal(config.serverId, 'lab1.example.org:8010');
  });

  it('the example inventory is usable with the example config: every relay_info names a known PDU model', () => {
    const inventory = parseInventoryFile(JSON.parse(read(INVENTORY_EXAMPLE)), { imagingServer: config.serverId, checkRelayInfo: createRelayInfoCheck(config.hardware.power) });
    assert.equal(inventory.devices.length, 4);
  });

  it('docs/configuration.md documents every field of both, and every environment variable', () => {
    const docs = read('docs/configuration.md');
    const fields = [...fieldPaths(JSON.parse(read(CONFIG_EXAMPLE))), ...fieldPaths(JSON.parse(read(INVENTORY_EXAMPLE)))];
    assert.ok(fields.includes('hardware.power.models.<model>.outletControlOid') && fields.includes('images[].pxeConfigs.<hardwareType>'), fields.join(', '));
    const missing = fields.filter((field) => !docs.includes(`\`${field}\``));
    assert.deepEqual(missing, [], 'fields without a row in docs/configuration.md');
    const undocumented = [...ENV_VARIABLES.map((variable) => variable.name), 'LABPOOL_CONFIG', 'LABPOOL_STORE'].filter((name) => !docs.includes(`\`${name}\``));
    assert.deepEqual(undocumented, []);
  });
});
