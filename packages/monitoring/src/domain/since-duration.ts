import { LlmopsError } from '@llmops/kernel';

const unitMs: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** The form of a duration: a whole number from 1 and a unit s, m, h, d or w. */
export const sinceDurationPattern = /^([1-9][0-9]{0,6})(s|m|h|d|w)$/;

/**
 * Parses a look-back window such as `90s`, `15m`, `1h`, `7d` or `2w` into milliseconds.
 * @param what how the value is named in the error (`--since`).
 * @throws LlmopsError `invalid_input` naming the value and the expected form.
 */
export function parseSinceDuration(text: string, what = '--since'): number {
  const match = sinceDurationPattern.exec(text.trim());
  if (!match) {
    throw new LlmopsError(
      'invalid_input',
      `${what} "${text}" is not a duration; expected a whole number and a unit s, m, h, d or w, for example 15m, 1h or 7d`,
    );
  }
  return Number(match[1]) * (unitMs[match[2] as string] as number);
}
