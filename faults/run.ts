/**
 * `npm run faults [-- --quick] [--rounds N] [--seed S]`: the fault suite (faults/fault-run.ts) —
 * `kill -9` of the server at random moments under load, the simulated lab in its own process, every
 * round checked — then one table. Exits 1 when a command was lost, a device stranded or held twice,
 * a deadline fired early or more than a second late, a restart took over 10 s to answer, or slow and
 * abusive clients more than doubled another client's median latency (or were not cut off).
 * Loopback only; the full run (20 rounds) takes a few minutes, `--quick` (3 rounds) about one.
 */
import { parseArgs } from 'node:util';
import { runFaults, type FaultReport } from './fault-run.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean' }, rounds: { type: 'string' }, seed: { type: 'string' } } });
const rounds = Number(values.rounds ?? (values.quick ? 3 : 20));
const seed = Number(values.seed ?? Date.now() % 1_000_000);
const LATE_LIMIT_MS = 1_000;
const ANSWER_LIMIT_MS = 10_000;
/** Other clients' latency during the abuse: within twice their latency alone (median). */
const ABUSE_LIMIT = 2;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function printTable(report: FaultReport): boolean {
  const late = report.deadlines.latenessMs.filter((ms) => ms > LATE_LIMIT_MS);
  const slowRestarts = report.restartMs.filter((ms) => ms > ANSWER_LIMIT_MS);
  const rows: [string, string, boolean][] = [
    ['rounds (kill -9 under load)', `${report.rounds} (seed ${report.seed})`, true],
    ['commands sent / acknowledged', `${report.commandsSent} / ${report.acknowledged}`, true],
    ['acknowledged commands checked', String(report.checked), true],
    ['lost', String(report.lost.length), report.lost.length === 0],
    ['stranded devices', String(report.stranded.length), report.stranded.length === 0],
    ['double assignments', String(report.doubles.length), report.doubles.length === 0],
    ['leases open past expiry + 1 s', String(report.overdue.length), report.overdue.length === 0],
    ['restart: kill to first answer p50 / max', `${percentile(report.restartMs, 50)} / ${Math.max(...report.restartMs)} ms (limit ${ANSWER_LIMIT_MS})`, slowRestarts.length === 0],
    ['deadlines fired', String(report.deadlines.fired), true],
    ['deadlines early', String(report.deadlines.early.length), report.deadlines.early.length === 0],
    [
      'deadline lateness p50 / p99 / max',
      `${percentile(report.deadlines.latenessMs, 50)} / ${percentile(report.deadlines.latenessMs, 99)} / ${Math.max(...report.deadlines.latenessMs)} ms`,
      late.length === 0,
    ],
    [`deadlines later than ${LATE_LIMIT_MS} ms`, String(late.length), late.length === 0],
  ];
  const abuse = report.abuse;
  if (abuse !== undefined) {
    const ratio = abuse.abused.p50Ms / abuse.baseline.p50Ms;
    rows.push(
      ['ordinary request p50 / p99 alone', `${abuse.baseline.p50Ms.toFixed(2)} / ${abuse.baseline.p99Ms.toFixed(2)} ms`, true],
      ['  beside slow and abusive clients', `${abuse.abused.p50Ms.toFixed(2)} / ${abuse.abused.p99Ms.toFixed(2)} ms (p50 ${ratio.toFixed(2)}×, limit ${ABUSE_LIMIT}×)`, ratio <= ABUSE_LIMIT],
      ['slow header senders closed', `${abuse.slowClosed} / ${abuse.slowOpened}`, abuse.slowClosed === abuse.slowOpened],
      [
        'event tails from one address refused',
        `${abuse.tailsRefused} / ${abuse.tailsAsked} (cap 32; answers ${JSON.stringify(abuse.tailStatuses)}, ${abuse.tailsEnded} ended by the server)`,
        // Every answer a stream or a refusal, and no more streams than the cap plus the places ended streams freed.
        (abuse.tailStatuses['200'] ?? 0) + abuse.tailsRefused === abuse.tailsAsked && (abuse.tailStatuses['200'] ?? 0) <= 32 + abuse.tailsEnded && abuse.tailsRefused > 0,
      ],
    );
  }
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value, ok] of rows) console.log(`${label.padEnd(width)}  ${value}${ok ? '' : '   FAIL'}`);
  for (const problem of [...report.lost, ...report.stranded, ...report.doubles, ...report.overdue, ...report.deadlines.early]) console.log(`  ${problem}`);
  if (late.length > 0) for (const line of report.deadlines.latest) console.log(`  ${line}`);
  return rows.every(([, , ok]) => ok);
}

const report = await runFaults({ rounds, seed, log: (line) => console.error(line) });
process.exitCode = printTable(report) ? 0 : 1;
