import type { Metric } from './metric.js';

/** The cost of the call in USD; when the target reported it or the pricing table could price it. */
export const costUsd: Metric<'cost_usd'> = {
  descriptor: {
    name: 'cost_usd',
    description: 'cost of the call in USD from the pricing table',
    unit: 'usd',
    higherIsBetter: false,
    judged: false,
  },
  appliesTo: ({ answer }) => answer.costUsd !== null,
  async score({ answer }) {
    const cost = answer.costUsd ?? 0;
    return { score: cost, reason: `$${cost.toFixed(6)}` };
  },
};
