import type { Metric } from './metric.js';

/** The prompt tokens of the call; when the target reported its usage. */
export const inputTokens: Metric<'input_tokens'> = {
  descriptor: {
    name: 'input_tokens',
    description: 'prompt tokens of the call',
    unit: 'tokens',
    higherIsBetter: false,
    judged: false,
  },
  appliesTo: ({ answer }) => Boolean(answer.usage),
  async score({ answer }) {
    const tokens = answer.usage?.inputTokens ?? 0;
    return { score: tokens, reason: `${tokens} input tokens` };
  },
};
