import type { Metric } from './metric.js';
import { questionOf, refusalExpected } from './metric-context.js';

/** 1 when the output refuses or says it does not know, on examples tagged as ones to refuse (unanswerable, adversarial…). */
export const refusalCorrectness: Metric<'refusal_correctness'> = {
  descriptor: {
    name: 'refusal_correctness',
    description: 'on examples tagged unanswerable or adversarial: 1 when the output refuses or says it does not know',
    unit: 'score',
    higherIsBetter: true,
    judged: true,
  },
  appliesTo: (context) => refusalExpected(context),
  async score(context) {
    const verdict = await context.judge({ kind: 'refusal', input: questionOf(context), output: context.answer.output });
    return {
      score: verdict.refused ? 1 : 0,
      reason: verdict.refused
        ? `refused as expected: ${verdict.reason}`
        : `answered although a refusal or "I don't know" was expected: ${verdict.reason}`,
    };
  },
};
