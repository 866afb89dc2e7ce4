/**
 * One line of `npm run bench`'s table: a figure, the reference it is compared with (measured in the
 * same run), their ratio, and the target when the issue sets one.
 */
export type BenchRow = {
  /** Section: `store`, `http`, `lease`, `queries`, `cold start`, `memory`. */
  readonly section: string;
  /** What was measured, e.g. `device status, 200 clients: p99`. */
  readonly metric: string;
  readonly value: number;
  /** `events/s`, `req/s`, `ms`, `MB`, `lifecycles/s`… */
  readonly unit: string;
  /** The limit of this machine it is compared with, measured in the same run. */
  readonly reference?: { readonly label: string; readonly value: number };
  /** value / reference.value. */
  readonly ratio?: number;
  /** The target, e.g. `>= 1000` or `<= 2`. */
  readonly target?: string;
  /** Whether `value` meets `target`. */
  readonly met?: boolean;
};

export type BenchOptions = { readonly quick: boolean };

/** A bench section: measures and returns its rows; must clean up after itself. */
export type BenchSection = (options: BenchOptions) => Promise<readonly BenchRow[]>;

export function meets(value: number, target: string): boolean {
  const match = /^(>=|<=)\s*([\d.]+)$/.exec(target.trim());
  if (!match) throw new Error(`bad target ${target}`);
  const bound = Number(match[2]);
  return match[1] === '>=' ? value >= bound : value <= bound;
}

/** Percentile (0–100) of `samples` (sorted in place). */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  samples.sort((a, b) => a - b);
  return samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))]!;
}
