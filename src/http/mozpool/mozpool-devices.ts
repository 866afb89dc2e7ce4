import type { Router } from '@koa/router';
import type { MozpoolDeps } from './mozpool-deps.js';
import { isQueryFlagSet } from './mozpool-params.js';
import { toDeviceDetails, toImageListItem } from './mozpool-shapes.js';

/** MozPool's lab-wide lists of devices and images. Any server answers them. */
export function registerMozpoolDeviceRoutes(router: Router, deps: MozpoolDeps): void {
  const { devices, images } = deps.readModels;

  router.get('/api/device/list{/}', (ctx) => {
    const all = devices.list();
    ctx.body = { devices: isQueryFlagSet(ctx, 'details') ? all.map(toDeviceDetails) : all.map((device) => device.name) };
  });

  router.get('/api/image/list{/}', (ctx) => {
    ctx.body = { images: images.list(false).map(toImageListItem) };
  });
}
