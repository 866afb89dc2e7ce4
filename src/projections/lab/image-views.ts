import { INVENTORY_EVENT_TYPES } from '../../domain/inventory/inventory-event-types.js';
import { toDomainEvent } from '../../domain/to-domain-event.js';
import type { RecordedEvent } from '../../store/port.js';
import type { Projection } from '../projection-runner.js';
import type { ImageReadModel, LabImage, PxeConfigReadModel } from '../read-models.js';
import { compareNames } from './compare-names.js';

export type ImageViews = Projection & ImageReadModel;

/**
 * Images from `image-*` streams: each `ImageDefined` replaces the definition but keeps the id given
 * at the first one. `pxeConfigs` resolves the (image, hardware type) mapping at read time.
 */
export function createImageViews(pxeConfigs: Pick<PxeConfigReadModel, 'get'>): ImageViews {
  const views = new Map<string, LabImage>();
  let sorted: readonly LabImage[] | undefined;
  let sortedVisible: readonly LabImage[] | undefined;

  function apply(recorded: RecordedEvent): void {
    const event = toDomainEvent(recorded, INVENTORY_EVENT_TYPES);
    if (event?.type !== 'ImageDefined') return;
    const { data } = event;
    views.set(data.name, {
      id: views.get(data.name)?.id ?? views.size + 1,
      name: data.name,
      bootConfigKeys: data.bootConfigKeys,
      canReuse: data.canReuse,
      hidden: data.hidden,
      hasSutAgent: data.hasSutAgent,
      verifyTcpPort: data.verify.tcpPort,
      pxeConfigs: data.pxeConfigs,
    });
    sorted = sortedVisible = undefined;
  }

  function list(includeHidden: boolean): readonly LabImage[] {
    sorted ??= Object.freeze([...views.values()].sort((a, b) => compareNames(a.name, b.name)));
    if (includeHidden) return sorted;
    return (sortedVisible ??= Object.freeze(sorted.filter((view) => !view.hidden)));
  }

  return {
    name: 'lab-images',
    filter: { streamPrefixes: ['image-'] },
    apply,
    list,
    get: (name) => views.get(name),
    pxeConfigFor(image, hardwareType) {
      const mapping = views.get(image)?.pxeConfigs;
      // hasOwn: a hardware type named `constructor` must not find Object.prototype's.
      const pxeConfigName = mapping !== undefined && Object.hasOwn(mapping, hardwareType) ? mapping[hardwareType] : undefined;
      const pxeConfig = pxeConfigName === undefined ? undefined : pxeConfigs.get(pxeConfigName);
      return pxeConfig?.active ? pxeConfig : undefined;
    },
  };
}
