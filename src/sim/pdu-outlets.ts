/** A control command a PDU outlet understands. */
export type OutletCommand = 'on' | 'off' | 'reboot';

/** Called on every real change of an outlet's state, never for a command that changes nothing. */
export type OutletListener = (outlet: number, on: boolean) => void;

/** The outlets of one simulated PDU: their state, the commands that change it, who hears of changes. */
export type OutletBank = {
  /** Number of outlets, numbered from 1. */
  readonly count: number;
  has(outlet: number): boolean;
  isOn(outlet: number): boolean;
  /** Applies a command; a dead outlet takes it and stays as it is. */
  command(outlet: number, command: OutletCommand): void;
  onChange(listener: OutletListener): () => void;
  /** Cancels reboots still waiting to switch back on. */
  stop(): void;
};

/** How many outlets, which are dead, how long a reboot keeps one off. */
export type OutletBankOptions = {
  readonly outlets: number;
  readonly deadOutlets: readonly number[];
  /** How long a rebooting outlet stays off. */
  readonly rebootOffMs: number;
};

/** Outlets start off, as after a PDU's cold start with outlets configured "off at power-on". */
export function createOutletBank(options: OutletBankOptions): OutletBank {
  const on = new Set<number>();
  const dead = new Set(options.deadOutlets);
  const listeners = new Set<OutletListener>();
  const reboots = createTimers();
  const has = (outlet: number) => Number.isInteger(outlet) && outlet >= 1 && outlet <= options.outlets;
  const set = (outlet: number, wanted: boolean) => {
    if (on.has(outlet) === wanted) return;
    if (wanted) on.add(outlet);
    else on.delete(outlet);
    for (const listener of [...listeners]) notify(listener, outlet, wanted);
  };

  return {
    count: options.outlets,
    has,
    isOn: (outlet) => on.has(outlet),
    command(outlet, command) {
      if (!has(outlet) || dead.has(outlet)) return;
      // A new command overrides a reboot in progress, as on a real PDU.
      reboots.cancel(outlet);
      set(outlet, command === 'on');
      if (command === 'reboot') reboots.start(outlet, options.rebootOffMs, () => set(outlet, true));
    },
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    stop: () => reboots.cancelAll(),
  };
}

/** One pending timer per key. */
function createTimers() {
  const timers = new Map<number, NodeJS.Timeout>();
  const cancel = (key: number) => {
    clearTimeout(timers.get(key));
    timers.delete(key);
  };
  return {
    start(key: number, ms: number, fire: () => void) {
      timers.set(
        key,
        setTimeout(() => (timers.delete(key), fire()), ms),
      );
    },
    cancel,
    cancelAll: () => [...timers.keys()].forEach(cancel),
  };
}

function notify(listener: OutletListener, outlet: number, on: boolean): void {
  try {
    listener(outlet, on);
  } catch (error) {
    // A listener's bug must not break the SNMP answer being built: report it outside the agent.
    setImmediate(() => {
      throw error;
    });
  }
}
