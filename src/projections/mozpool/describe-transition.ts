/** The fields of a state entry that its log line tells. */
export type TransitionFacts = {
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  readonly counter: number;
};

/** `entering state pxe_booting (from pxe_power_cycling: power cycle ok)`, with the try on retries. */
export function describeTransition(facts: TransitionFacts): string {
  const why = facts.reason === '' ? '' : `: ${facts.reason}`;
  const retry = facts.counter > 1 ? `, try ${facts.counter}` : '';
  return `entering state ${facts.to} (from ${facts.from}${why}${retry})`;
}
