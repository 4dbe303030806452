import type { Metric } from './metric.js';

/** The completion tokens of the call; when the target reported its usage. */
export const outputTokens: Metric<'output_tokens'> = {
  descriptor: {
    name: 'output_tokens',
    description: 'completion tokens of the call',
    unit: 'tokens',
    higherIsBetter: false,
    judged: false,
  },
  appliesTo: ({ answer }) => Boolean(answer.usage),
  async score({ answer }) {
    const tokens = answer.usage?.outputTokens ?? 0;
    return { score: tokens, reason: `${tokens} output tokens` };
  },
};
