import type { Metric } from './metric.js';

/** The time the target took to answer, in milliseconds; on every answered example. */
export const latency: Metric<'latency'> = {
  descriptor: {
    name: 'latency',
    description: 'time the target took to answer, in milliseconds',
    unit: 'ms',
    higherIsBetter: false,
    judged: false,
  },
  appliesTo: () => true,
  async score({ answer }) {
    return { score: answer.latencyMs, reason: `${Math.round(answer.latencyMs)} ms` };
  },
};
