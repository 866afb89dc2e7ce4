import type { Ledger } from './ledger.js';

/** A seeded pseudo-random source (mulberry32): the same seed gives the same run of choices. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type LoadOptions = {
  readonly url: string;
  readonly ledger: Ledger;
  readonly random: () => number;
  /** Devices each given to one comment client (its commands on a device are one after another). */
  readonly commentDevices: readonly string[];
  /** vmpooler pools to check out from, when the lab has any. */
  readonly pools: readonly string[];
  readonly leaseClients: number;
};

export type Load = { commands(): number; stop(): Promise<void> };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function post(url: string, body?: unknown): Promise<{ status: number; json: unknown } | undefined> {
  try {
    const response = await fetch(url, { method: 'POST', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, json: await response.json().catch(() => undefined) };
  } catch {
    // No answer: the server died under it.
    return undefined;
  }
}

/**
 * Clients that keep the server busy until it dies (their first unanswered command ends them):
 * MozPool leases of any device (returned at once, renewed, or left to expire within seconds), device
 * comments, and vmpooler checkouts and deletes. Every acknowledged command goes to the ledger.
 */
export function startLoad(options: LoadOptions): Load {
  const { url, ledger, random } = options;
  let stopped = false;
  let commands = 0;
  const durationS = () => 2 + Math.floor(random() * 5);

  async function leaseLoop(): Promise<void> {
    while (!stopped) {
      const duration = durationS();
      const sentAt = Date.now();
      commands++;
      const opened = await post(`${url}/api/device/any/request/`, { assignee: 'faults', duration, image: 'ubuntu' });
      if (opened === undefined) return;
      const id = (opened.json as { request?: { id?: number } } | undefined)?.request?.id;
      if (opened.status !== 200 || id === undefined) {
        await pause(50);
        continue;
      }
      ledger.opened(id, sentAt, duration);
      const choice = random();
      if (choice < 0.4) {
        ledger.sending(id);
        commands++;
        const answer = await post(`${url}/api/request/${id}/return/`);
        if (answer === undefined) return;
        if (answer.status < 300) ledger.returned(id);
      } else if (choice < 0.7) {
        const renewal = durationS();
        const renewedAt = Date.now();
        ledger.sending(id);
        commands++;
        const answer = await post(`${url}/api/request/${id}/renew/`, { duration: renewal });
        if (answer === undefined) return;
        if (answer.status < 300) ledger.renewed(id, renewedAt, renewal);
      }
      // Otherwise it expires by itself, seconds from now, maybe across a restart.
    }
  }

  async function commentLoop(device: string): Promise<void> {
    for (let n = 0; !stopped; n++) {
      const text = `faults ${Date.now()} ${n}`;
      ledger.commentSending(device, text);
      commands++;
      const answer = await post(`${url}/api/device/${device}/set-comments/`, { comments: text });
      if (answer === undefined) return;
      if (answer.status < 300) ledger.commented(device, text);
      await pause(20);
    }
  }

  async function vmLoop(pool: string): Promise<void> {
    while (!stopped) {
      ledger.checkoutSending();
      commands++;
      const answer = await post(`${url}/api/v1/vm/${pool}`);
      if (answer === undefined) return;
      ledger.checkoutAnswered();
      const body = answer.json as Record<string, { hostname?: string | string[] }> & { ok?: boolean };
      const hostname = body?.ok === true ? Object.values(body).find((value) => typeof value === 'object')?.hostname : undefined;
      const host = Array.isArray(hostname) ? hostname[0] : hostname;
      if (answer.status !== 200 || host === undefined) {
        await pause(100);
        continue;
      }
      ledger.checkedOut(host);
      // Held a moment (a kill may come now), then given back: kept hosts would drain the pools.
      await pause(Math.floor(random() * 200));
      ledger.hostSending(host);
      commands++;
      const deleted = await fetch(`${url}/api/v1/vm/${host}`, { method: 'DELETE' }).then(
        (response) => response.status,
        () => undefined,
      );
      if (deleted === undefined) return;
      if (deleted === 200) ledger.deleted(host);
    }
  }

  const loops = [...Array.from({ length: options.leaseClients }, leaseLoop), ...options.commentDevices.map((device) => commentLoop(device)), ...options.pools.map((pool) => vmLoop(pool))];
  return {
    commands: () => commands,
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}
