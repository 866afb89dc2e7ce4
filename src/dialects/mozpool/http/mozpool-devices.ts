import type { Router } from '@koa/router';
import type { MozpoolDeps } from './mozpool-deps.js';
import { isQueryFlagSet } from './mozpool-params.js';
import { toDeviceDetails, toImageListItem, toPowerTroubleField } from './mozpool-shapes.js';
import { powerTroubleOf } from '../../../projections/lab/power-trouble.js';
import type { LabDevice } from '../../../projections/read-models.js';

/**
 * One entry of `?details=1`: MozPool's fields, plus labpool's `power_trouble` on a device whose last
 * power cycles failed (clients ignore fields they do not know; a healthy device has none).
 */
function toDetailsEntry(view: LabDevice) {
  const powerTrouble = powerTroubleOf(view);
  return powerTrouble === undefined ? toDeviceDetails(view) : { ...toDeviceDetails(view), power_trouble: toPowerTroubleField(powerTrouble) };
}

/**
 * `?details=1` of a large lab is megabytes of JSON: serialising it on every call dominated the
 * route. Views are immutable (a change makes a new one), so each view's JSON is kept as long as the
 * view lives, and the whole body (encoded) as long as the read model returns the same list: a change
 * re-serialises only the devices it touched.
 */
function createDetailsBodyCache(): (all: readonly LabDevice[]) => Buffer {
  const fragments = new WeakMap<LabDevice, Buffer>();
  const open = Buffer.from('{"devices":[');
  const comma = Buffer.from(',');
  const close = Buffer.from(']}');
  let lastList: readonly LabDevice[] | undefined;
  let lastBody = Buffer.alloc(0);
  const fragmentOf = (view: LabDevice): Buffer => {
    let json = fragments.get(view);
    if (json === undefined) {
      json = Buffer.from(JSON.stringify(toDetailsEntry(view)));
      fragments.set(view, json);
    }
    return json;
  };
  return (all) => {
    if (all !== lastList) {
      // Encoded fragments copied into one buffer: cheaper than joining strings and encoding the result.
      const chunks: Buffer[] = [open];
      all.forEach((view, i) => {
        if (i > 0) chunks.push(comma);
        chunks.push(fragmentOf(view));
      });
      chunks.push(close);
      lastBody = Buffer.concat(chunks);
      lastList = all;
    }
    return lastBody;
  };
}

/** MozPool's lab-wide lists of devices and images. Any server answers them. */
export function registerMozpoolDeviceRoutes(router: Router, deps: MozpoolDeps): void {
  const { devices, images } = deps.readModels;
  const detailsBody = createDetailsBodyCache();

  router.get('/api/device/list{/}', (ctx) => {
    const all = devices.list();
    if (isQueryFlagSet(ctx, 'details')) {
      ctx.body = detailsBody(all);
      ctx.type = 'application/json; charset=utf-8';
    } else {
      ctx.body = { devices: all.map((device) => device.name) };
    }
  });

  router.get('/api/image/list{/}', (ctx) => {
    ctx.body = { images: images.list(false).map(toImageListItem) };
  });
}
