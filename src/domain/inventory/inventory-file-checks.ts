import type { InventoryDevice, InventoryFile, RelayInfoCheck } from './inventory-file.js';

/** Problems no schema can see: duplicate names and MACs, references to entries (hardware types, PXE configs, racks) never defined. */
export function inventoryFileProblems(file: InventoryFile): string[] {
  const hardwareTypes = new Set(file.hardwareTypes.map((type) => type.name));
  const pxeConfigs = new Set(file.pxeConfigs.map((config) => config.name));
  return [
    ...duplicates(
      'hardwareTypes',
      'name',
      file.hardwareTypes.map((type) => type.name),
    ),
    ...duplicates(
      'images',
      'name',
      file.images.map((image) => image.name),
    ),
    ...duplicates(
      'pxeConfigs',
      'name',
      file.pxeConfigs.map((config) => config.name),
    ),
    ...duplicates(
      'devices',
      'name',
      file.devices.map((device) => device.name),
    ),
    // Two devices with one MAC would share one PXE file: each would boot the other's image.
    ...duplicates(
      'devices',
      'macAddress',
      file.devices.map((device) => device.macAddress),
    ),
    ...file.images.flatMap((image, index) => imageReferenceProblems(`images[${index}]`, image.pxeConfigs, hardwareTypes, pxeConfigs)),
    ...file.devices.flatMap((device, index) =>
      hardwareTypes.has(device.hardwareType) ? [] : [`devices[${index}].hardwareType ${JSON.stringify(device.hardwareType)} is not a defined hardware type`],
    ),
    ...file.devices.flatMap((device, index) =>
      device.rack === null || Object.hasOwn(file.racks, device.rack) ? [] : [`devices[${index}].rack ${JSON.stringify(device.rack)} is not a defined rack (racks.${device.rack})`],
    ),
  ];
}

/** Power addresses `check` finds unusable, among the devices `isChecked` picks. */
export function relayInfoProblems(file: InventoryFile, isChecked: (device: InventoryDevice) => boolean, check: RelayInfoCheck): string[] {
  return file.devices.flatMap((device, index) => {
    const problem = isChecked(device) ? check(device.relayInfo) : undefined;
    return problem === undefined ? [] : [`devices[${index}].relayInfo ${JSON.stringify(device.relayInfo)}: ${problem}`];
  });
}

function duplicates(list: string, field: string, values: readonly string[]): string[] {
  const firstIndex = new Map<string, number>();
  return values.flatMap((value, index) => {
    const first = firstIndex.get(value);
    if (first === undefined) {
      firstIndex.set(value, index);
      return [];
    }
    return [`${list}[${index}].${field} ${JSON.stringify(value)} repeats ${list}[${first}].${field}`];
  });
}

function imageReferenceProblems(field: string, mapping: Readonly<Record<string, string>>, hardwareTypes: ReadonlySet<string>, pxeConfigs: ReadonlySet<string>): string[] {
  return Object.entries(mapping).flatMap(([hardwareType, pxeConfig]) => [
    ...(hardwareTypes.has(hardwareType) ? [] : [`${field}.pxeConfigs key ${JSON.stringify(hardwareType)} is not a defined hardware type`]),
    ...(pxeConfigs.has(pxeConfig) ? [] : [`${field}.pxeConfigs.${hardwareType} ${JSON.stringify(pxeConfig)} is not a defined PXE config`]),
  ]);
}
