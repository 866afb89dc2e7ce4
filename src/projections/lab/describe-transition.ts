import { lineFrom, type LogLine } from '../logs/bounded-log.js';

/** The fields of a state entry that its log line tells. */
export type TransitionFacts = {
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  readonly counter: number;
};

const statemachine = lineFrom('statemachine');

/** `entering state pxe_booting (from pxe_power_cycling: power cycle ok)`, with the try on retries. */
export function describeTransition({ from, to, reason, counter }: TransitionFacts): LogLine {
  if (counter > 1) {
    return reason === '' ? statemachine`entering state ${to} (from ${from}, try ${counter})` : statemachine`entering state ${to} (from ${from}: ${reason}, try ${counter})`;
  }
  return reason === '' ? statemachine`entering state ${to} (from ${from})` : statemachine`entering state ${to} (from ${from}: ${reason})`;
}
