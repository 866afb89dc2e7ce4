/**
 * Events of the inventory catalogue: images (`image-<name>`), PXE configs (`pxeconfig-<name>`) and
 * hardware types (`hardwaretype-<name>`). Devices are registered in their own streams (device events).
 */

/** How a device running an image is checked to be up. */
export type ImageVerify = {
  /** TCP port that answers once the image is up (e.g. 22 for ssh, 20701 for the SUT agent). */
  readonly tcpPort: number;
};

export type ImageDefinition = {
  readonly name: string;
  /** The request-body keys copied into the boot config. */
  readonly bootConfigKeys: readonly string[];
  /** A device already running this image with the same boot config may be reused without imaging. */
  readonly canReuse: boolean;
  /** Hidden images (self-test, maintenance) are not listed and cannot be requested. */
  readonly hidden: boolean;
  readonly hasSutAgent: boolean;
  readonly verify: ImageVerify;
  /** (image, hardware type) → PXE config name. */
  readonly pxeConfigs: Readonly<Record<string, string>>;
};

export type PxeConfigDefinition = {
  readonly name: string;
  readonly version: number;
  readonly description: string;
  /** pxelinux config text; `%IPADDRESS%` and labpool's variables are substituted when written. */
  readonly contents: string;
  readonly active: boolean;
};

export type HardwareTypeDefinition = {
  readonly name: string;
  readonly description: string;
};

export type InventoryEvent =
  | { readonly type: 'ImageDefined'; readonly data: ImageDefinition & { readonly atMs: number } }
  | { readonly type: 'PxeConfigDefined'; readonly data: PxeConfigDefinition & { readonly atMs: number } }
  | { readonly type: 'HardwareTypeDefined'; readonly data: HardwareTypeDefinition & { readonly atMs: number } };
