import type { HardwareTypeDefinition, ImageDefinition, PxeConfigDefinition } from './inventory-events.js';
import { BOOT_CONFIG_KEY_PATTERN, isValidName, NAME_RULE, RESERVED_BOOT_CONFIG_KEYS } from './inventory-names.js';

/**
 * What is wrong with a catalogue definition, one line per bad field (empty when it is valid).
 * The deciders refuse such definitions; the inventory file schema is at least as strict, so a file
 * that parses never produces one.
 */
export function imageDefinitionProblems(definition: ImageDefinition): string[] {
  return [
    ...nameProblems('name', definition.name),
    ...bootConfigKeyProblems(definition.bootConfigKeys),
    ...(isTcpPort(definition.verify.tcpPort) ? [] : [`verify.tcpPort must be an integer from 1 to 65535, got ${definition.verify.tcpPort}`]),
    ...Object.entries(definition.pxeConfigs).flatMap(([hardwareType, pxeConfig]) => [
      ...nameProblems(`pxeConfigs key ${JSON.stringify(hardwareType)}`, hardwareType),
      ...nameProblems(`pxeConfigs.${hardwareType}`, pxeConfig),
    ]),
  ];
}

export function pxeConfigDefinitionProblems(definition: PxeConfigDefinition): string[] {
  return [
    ...nameProblems('name', definition.name),
    ...(Number.isInteger(definition.version) && definition.version >= 1 ? [] : [`version must be an integer >= 1, got ${definition.version}`]),
    ...(definition.contents.trim() === '' ? ['contents must not be empty'] : []),
  ];
}

export function hardwareTypeDefinitionProblems(definition: HardwareTypeDefinition): string[] {
  return nameProblems('name', definition.name);
}

function nameProblems(field: string, name: string): string[] {
  return isValidName(name) ? [] : [`${field} ${NAME_RULE}, got ${JSON.stringify(name)}`];
}

function bootConfigKeyProblems(keys: readonly string[]): string[] {
  const keyRegExp = new RegExp(BOOT_CONFIG_KEY_PATTERN);
  const reserved: readonly string[] = RESERVED_BOOT_CONFIG_KEYS;
  return keys.flatMap((key, index) => {
    const field = `bootConfigKeys[${index}]`;
    if (!keyRegExp.test(key)) return [`${field} must be an identifier, got ${JSON.stringify(key)}`];
    if (reserved.includes(key)) return [`${field} must not be a request field (${reserved.join(', ')}), got ${JSON.stringify(key)}`];
    if (keys.indexOf(key) !== index) return [`${field} repeats ${JSON.stringify(key)}`];
    return [];
  });
}

function isTcpPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}
