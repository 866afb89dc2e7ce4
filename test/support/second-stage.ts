import type { RunningLabpool } from '../../src/labpool.js';

/**
 * What a booted installer does on a real device, for labs on fake hardware: once a device is in
 * `pxe_booting`, it reports the second-stage events of the image it boots (`mobile_init_started`,
 * `<image>_downloading`, `_extracting`, `_rebooting`) through the device actor, one boot at a time.
 * Returns a stop function.
 */
export function driveSecondStages(labpool: RunningLabpool): () => void {
  const devices = labpool.lab.context.kinds.devices;
  const driving = new Set<string>();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    for (const device of labpool.lab.context.readModels.devices.list()) {
      if (device.state !== 'pxe_booting' || driving.has(device.name)) continue;
      driving.add(device.name);
      void (async () => {
        const { state } = await devices.read(device.name);
        const image = state.nextImage ?? state.image ?? '';
        for (const event of ['mobile_init_started', `${image}_downloading`, `${image}_extracting`, `${image}_rebooting`]) {
          await devices.ask(device.name, { type: 'ReportEvent', event, nowMs: labpool.lab.context.nowMs() }, { actor: 'device' });
        }
      })()
        // Once the lab stops, a boot cut short is no failure of the test.
        .catch((error: unknown) => {
          if (!stopped) throw error;
        })
        .finally(() => driving.delete(device.name));
    }
    timer = setTimeout(tick, 10);
  };
  let timer = setTimeout(tick, 10);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
