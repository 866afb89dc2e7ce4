import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreeTcpPort, findFreeUdpPort } from '../test/support/free-port.js';
import { killHard, startServerProcess, startSimProcess, type LabpoolProcess, type ServedProcess } from '../test/support/labpool-processes.js';
import { runAbuse, type AbuseReport } from './abuse.js';
import { checkServer, type Findings } from './checks.js';
import { measureDeadlines, type DeadlineLateness, type Outage } from './deadlines.js';
import { createLedger } from './ledger.js';
import { seededRandom, startLoad } from './load.js';

export type FaultRunOptions = {
  readonly rounds: number;
  readonly seed: number;
  /** How long to let the leases left open run out after the last round, so their expiries count too (default 8 s). */
  readonly settleMs?: number;
  /** Slow and abusive clients against the first server before the kills (abuse.ts; default true). */
  readonly abuse?: boolean;
  /** Progress lines (one per round). */
  readonly log?: (line: string) => void;
};

export type FaultReport = {
  readonly rounds: number;
  readonly seed: number;
  /** Commands the clients sent, and those the servers acknowledged (2xx). */
  readonly commandsSent: number;
  readonly acknowledged: number;
  /** Summed over the checks after every restart. */
  readonly checked: number;
  readonly lost: readonly string[];
  readonly stranded: readonly string[];
  readonly doubles: readonly string[];
  readonly overdue: readonly string[];
  /** From `kill -9` to the first answer of the restarted server, and from its start to that answer. */
  readonly restartMs: readonly number[];
  readonly deadlines: DeadlineLateness;
  readonly abuse?: AbuseReport;
};

/** The simulated lab's pools (16 devices or more), by an alias each. */
const POOLS = ['ubuntu', 'android'];
/** sim-0003 hangs mid-imaging and sim-0004 fails its self-test (the default faults): comments go elsewhere. */
const COMMENT_DEVICES = ['sim-0001', 'sim-0002'];

async function firstAnswer(url: string): Promise<number> {
  for (;;) {
    const answered = await fetch(`${url}/api/version/`).then(
      (response) => response.ok,
      () => false,
    );
    if (answered) return Date.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function readyDevices(url: string): Promise<number> {
  const response = await fetch(`${url}/api/device/list/?details=1`);
  const { devices } = (await response.json()) as { devices: { state: string; request_id: number | null; held_by?: string }[] };
  return devices.filter((device) => device.state === 'ready' && device.request_id === null && device.held_by === undefined).length;
}

/**
 * `kill -9` of the server at random moments under load, `rounds` times, the simulated lab in a
 * process of its own that lives through every kill. After each restart the server is checked
 * against what its clients were told (checks.ts); at the end the store says how late every deadline
 * fired (deadlines.ts).
 */
export async function runFaults(options: FaultRunOptions): Promise<FaultReport> {
  const log = options.log ?? (() => undefined);
  const random = seededRandom(options.seed);
  const dir = mkdtempSync(join(tmpdir(), 'labpool-faults-'));
  const storePath = join(dir, 'labpool.db');
  const configFile = join(dir, 'labpool.json');
  // Imaging stages time out in 2 s, so kills catch devices mid-imaging and their timeouts fire across restarts.
  const stage = { timeoutMs: 2_000 };
  writeFileSync(
    configFile,
    JSON.stringify({
      http: { host: '127.0.0.1', port: await findFreeTcpPort() },
      store: { kind: 'sqlite', path: storePath, synchronous: 'FULL' },
      sim: { enabled: true, external: true, devices: 16, stepDelayMs: 20, pduPorts: [await findFreeUdpPort(), await findFreeUdpPort()], addressPrefix: `127.${2 + (process.pid % 200)}.252.` },
      lifeguardLimits: {
        pxe_power_cycling: stage,
        pxe_booting: stage,
        mobile_init_started: stage,
        image_downloading: stage,
        image_extracting: stage,
        verifying: { timeoutMs: 2_000, maxCount: 2 },
        pc_rebooting: stage,
      },
      hardware: { tftp: { host: '127.0.0.1', port: await findFreeUdpPort(), root: join(dir, 'tftp') } },
    }),
  );
  const ledger = createLedger();
  const outages: Outage[] = [];
  const restartMs: number[] = [];
  const findings: Findings[] = [];
  let commandsSent = 0;
  let abuse: AbuseReport | undefined;
  let sim: LabpoolProcess | undefined;
  let server: ServedProcess | undefined;
  try {
    const startedAtMs = Date.now();
    [sim, server] = await Promise.all([startSimProcess(configFile), startServerProcess(configFile)]);
    // Deadlines due while the first server started count from its first answer, as after a kill.
    outages.push({ killedAtMs: startedAtMs, answeredAtMs: await firstAnswer(server.url) });
    // The lab self-tests its new devices first: load starts once a few are free and ready.
    while ((await readyDevices(server.url)) < 6) await new Promise((resolve) => setTimeout(resolve, 100));
    if (options.abuse ?? true) {
      abuse = await runAbuse(server.url, `/api/device/${COMMENT_DEVICES[0]}/status/`);
      log(`abuse: ordinary request p50 ${abuse.baseline.p50Ms.toFixed(2)} ms alone, ${abuse.abused.p50Ms.toFixed(2)} ms beside slow clients`);
    }
    for (let round = 1; round <= options.rounds; round++) {
      const load = startLoad({ url: server.url, ledger, random, commentDevices: COMMENT_DEVICES, pools: POOLS, leaseClients: 4 });
      // A random moment: after 0.3 to 2.3 s of load.
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.floor(random() * 2_000)));
      const killedAtMs = Date.now();
      await killHard(server);
      await load.stop();
      ledger.killed();
      commandsSent += load.commands();
      server = await startServerProcess(configFile);
      const answeredAtMs = await firstAnswer(server.url);
      outages.push({ killedAtMs, answeredAtMs });
      restartMs.push(answeredAtMs - killedAtMs);
      const found = await checkServer(server.url, ledger, answeredAtMs);
      findings.push(found);
      log(
        `round ${round}/${options.rounds}: ${load.commands()} commands, answering ${answeredAtMs - killedAtMs} ms after the kill; ` +
          `checked ${found.checked}, lost ${found.lost.length}, stranded ${found.stranded.length}, doubles ${found.doubles.length}, overdue ${found.overdue.length}`,
      );
    }
    // Leases left to expire run out within seconds: let them, so their deadlines count too.
    await new Promise((resolve) => setTimeout(resolve, options.settleMs ?? 8_000));
  } finally {
    await killHard(server);
    await killHard(sim);
  }
  try {
    const deadlines = await measureDeadlines(storePath, outages);
    return {
      rounds: options.rounds,
      seed: options.seed,
      commandsSent,
      acknowledged: ledger.acknowledged,
      checked: findings.reduce((sum, found) => sum + found.checked, 0),
      lost: findings.flatMap((found) => found.lost),
      stranded: findings.flatMap((found) => found.stranded),
      doubles: findings.flatMap((found) => found.doubles),
      overdue: findings.flatMap((found) => found.overdue),
      restartMs,
      deadlines,
      ...(abuse === undefined ? {} : { abuse }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
