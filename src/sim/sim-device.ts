import { createServer, type Server } from 'node:net';
import { fetchBootactionConfig, runSimBootactions } from './sim-bootaction-client.js';
import { isSimFactsStep, postSimFacts, simHardwareFacts, simHardwareOf, type SimHardware } from './sim-facts.js';
import { fetchTftpFile } from './tftp-fetch.js';

/** What can go wrong with a simulated device (from the sim lab's config). */
export type SimDeviceFaults = {
  /** Never answers after power-on: no TFTP, no second stage, no TCP. */
  readonly neverBoots?: boolean;
  /** The second stage stops before reporting this event (e.g. `ubuntu_extracting`). */
  readonly hangBefore?: string;
  /** The self-test image reports `failed_self_test`. */
  readonly failsSelfTest?: boolean;
  /** Its PDU outlet takes commands but never switches (the PDU simulates it). */
  readonly deadOutlet?: boolean;
  /**
   * Its PDU answers the read-back of a power-on only once this device has reported its first
   * second-stage event (or come up from disk): a slow PDU behind a fast board, deterministically.
   */
  readonly lateReadBack?: boolean;
};

export type SimDeviceOptions = {
  readonly name: string;
  readonly macAddress: string;
  /** Its own loopback address (127.0.1.N): verify connects here. */
  readonly address: string;
  /** labpool's TFTP server. */
  readonly tftp: { readonly host: string; readonly port: number };
  /** TCP port each image answers on once up, besides `sshPort`. */
  readonly imagePorts: Readonly<Record<string, number>>;
  /** Answered whenever the device is up, whatever it runs: what verify checks for an unknown image. */
  readonly sshPort: number;
  /** The image on its disk at start; null: blank. */
  readonly installedImage: string | null;
  /** Pause between second-stage steps. */
  readonly stepDelayMs: number;
  readonly faults?: SimDeviceFaults;
  /** What its hardware report says it is made of (default: the first simulated device's). */
  readonly hardware?: SimHardware;
  readonly log?: (message: string) => void;
};

export type SimDevice = {
  readonly name: string;
  /** Power from its PDU outlet: on starts a boot, off kills whatever runs. */
  setPower(on: boolean): void;
  /** What runs now: `off`, `second-stage <image>`, `up <image>`, `hung`. */
  status(): string;
  /**
   * Resolves once the boot under way has shown itself: its second stage reported a first event
   * (acknowledged by labpool), or it came up from disk, hung, or lost power.
   */
  whenBootShown(): Promise<void>;
  stop(): Promise<void>;
};

/** Key=value words of the PXE file's APPEND line that tell the second stage where labpool is. */
type BootInstructions = { readonly url: string; readonly image: string; readonly bootConfigUrl: string };

/**
 * A device that boots like a real one: on power-on it asks labpool's TFTP server for its PXE file;
 * with one it runs the second stage the file names, reporting each step to labpool over HTTP; without
 * one it boots the image on its disk. Once up it accepts TCP connections on the image's port.
 */
export function createSimDevice(options: SimDeviceOptions): SimDevice {
  const log = options.log ?? (() => undefined);
  let installed = options.installedImage;
  let powered = false;
  /** Bumped on every power change: a boot sees it moved and gives up. */
  let generation = 0;
  const listeners: Server[] = [];
  let current = 'off';
  let bootShown = createSignal();

  const alive = (boot: number) => powered && boot === generation;
  const pause = () => new Promise((resolve) => setTimeout(resolve, options.stepDelayMs));

  /** Up: answers on its ssh port, and on the image's own port (an agent) when it has one. */
  async function listenAs(image: string | null): Promise<void> {
    await closeListeners();
    const ports = new Set([options.sshPort, ...(image === null ? [] : [options.imagePorts[image]])]);
    for (const port of ports) if (port !== undefined) listeners.push(await listenOn(port));
  }

  function listenOn(port: number): Promise<Server> {
    const server = createServer((socket) => socket.end());
    return new Promise((resolve) => {
      server.on('error', (error) => (log(`${options.name}: cannot listen on ${options.address}:${port}: ${error.message}`), resolve(server)));
      server.listen(port, options.address, () => resolve(server));
    });
  }

  async function closeListeners(): Promise<void> {
    const closing = listeners.splice(0);
    await Promise.all(closing.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }

  async function boot(bootNumber: number): Promise<void> {
    if (options.faults?.neverBoots) return void ((current = 'hung'), bootShown.raise());
    const pxe = await fetchTftpFile(options.tftp, `pxelinux.cfg/01-${options.macAddress.toLowerCase().replaceAll(':', '-')}`);
    if (!alive(bootNumber)) return;
    const instructions = pxe.ok ? parseBootInstructions(pxe.content) : undefined;
    if (instructions === undefined) return bootInstalled(bootNumber);
    current = `second-stage ${instructions.image}`;
    log(`${options.name}: PXE booted ${instructions.image}`);
    await runSecondStage(bootNumber, instructions);
  }

  async function bootInstalled(bootNumber: number): Promise<void> {
    await pause();
    if (!alive(bootNumber)) return;
    current = installed === null ? 'up (blank disk)' : `up ${installed}`;
    await listenAs(installed);
    bootShown.raise();
  }

  async function runSecondStage(bootNumber: number, instructions: BootInstructions): Promise<void> {
    const events = secondStageEvents(instructions.image, options.faults);
    const installs = instructions.image !== 'self-test' && instructions.image !== 'maintenance';
    for (const [i, event] of events.entries()) {
      await pause();
      if (!alive(bootNumber)) return;
      if (event === options.faults?.hangBefore) return void ((current = `hung before ${event}`), bootShown.raise());
      // A live image (self-test, maintenance) answers ssh before it reports its last step.
      if (!installs && i === events.length - 1) await listenAs(null);
      await report(instructions.url, event, bootNumber);
      bootShown.raise();
      if (isSimFactsStep(instructions.image, event)) await reportFacts(instructions, bootNumber);
    }
    if (!alive(bootNumber) || !installs) return;
    installed = instructions.image;
    // The installer ends with a reboot into the new image.
    await bootInstalled(bootNumber);
    // A Drydock deploy's node then runs its bootactions and reports them, from the boot config it was installed with.
    const bootactions = alive(bootNumber) ? await fetchBootactionConfig(instructions.bootConfigUrl) : undefined;
    if (bootactions !== undefined && alive(bootNumber)) await runSimBootactions(bootactions, { log, alive: () => alive(bootNumber) });
  }

  /**
   * Posts one event until labpool takes it or refuses it, as the original second stage did: a server
   * that is down or restarting gets it once it is back. Gives up only when this boot is over (power
   * cut or a new boot).
   */
  async function report(url: string, event: string, bootNumber: number): Promise<void> {
    for (let attempt = 0; alive(bootNumber); attempt++) {
      const response = await fetch(`${url}/api/device/${options.name}/event/${event}/`, { method: 'POST', body: '{}' }).catch(() => undefined);
      await response?.body?.cancel();
      // A refusal (4xx) is labpool's answer; no answer or a server in trouble (5xx) is asked again.
      if (response !== undefined && response.status < 500) {
        if (!response.ok) log(`${options.name}: ${event} answered ${response.status}`);
        return;
      }
      if (attempt === 0) log(`${options.name}: labpool ${response === undefined ? 'does not answer' : `answered ${response.status}`}, posting ${event} again until it takes it`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 100 * (attempt + 1))));
    }
  }

  /** The hardware report, as a real second stage would post `lshw -json`; a failed post never stops the boot. */
  async function reportFacts(instructions: BootInstructions, bootNumber: number): Promise<void> {
    const facts = simHardwareFacts(options.name, options.macAddress, options.hardware ?? simHardwareOf(0), instructions.image);
    await postSimFacts(instructions.url, options.name, facts, () => alive(bootNumber), log);
  }

  return {
    name: options.name,
    setPower(on) {
      if (on === powered) return;
      powered = on;
      const bootNumber = ++generation;
      bootShown.raise();
      bootShown = createSignal();
      if (!on) {
        bootShown.raise();
        current = 'off';
        void closeListeners();
        return;
      }
      boot(bootNumber).catch((error: unknown) => log(`${options.name}: boot failed: ${String(error)}`));
    },
    status: () => current,
    whenBootShown: () => bootShown.promise,
    async stop() {
      powered = false;
      generation++;
      bootShown.raise();
      await closeListeners();
    },
  };
}

function secondStageEvents(image: string, faults: SimDeviceFaults | undefined): readonly string[] {
  if (image === 'self-test') return ['self_test_running', faults?.failsSelfTest ? 'failed_self_test' : 'self_test_ok'];
  if (image === 'maintenance') return ['maint_mode'];
  return ['mobile_init_started', `${image}_downloading`, `${image}_extracting`, `${image}_rebooting`];
}

/** Reads `labpool.url=… labpool.image=… labpool.bootconfig=…` from the PXE file. */
export function parseBootInstructions(pxeFile: string): BootInstructions | undefined {
  const words = new Map<string, string>();
  for (const word of pxeFile.split(/\s+/)) {
    const equals = word.indexOf('=');
    if (word.startsWith('labpool.') && equals > 0) words.set(word.slice('labpool.'.length, equals), word.slice(equals + 1));
  }
  const url = words.get('url');
  const image = words.get('image');
  const bootConfigUrl = words.get('bootconfig');
  return url && image && bootConfigUrl ? { url, image, bootConfigUrl } : undefined;
}

/** A promise and the function that resolves it (idempotent). */
function createSignal(): { readonly promise: Promise<void>; raise(): void } {
  let raise: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (raise = resolve));
  return { promise, raise: () => raise() };
}
