import { TrackedEvaluationEvidence } from '@llmops/evaluation';
import type { EvaluationEvidence } from '@llmops/registry';
import type { CommandContext } from '../cli-io.js';
import { openCliEvaluationStore } from './evaluation-session.js';

/**
 * The registry's EvaluationEvidence port wired to the evaluation context: the latest finished
 * evaluation run of the model version on the policy's dataset, from the evaluation store of
 * `--store` (opened for each question and closed again, so promotion holds no extra handle).
 */
export function cliEvaluationEvidence(context: CommandContext): EvaluationEvidence {
  return {
    latestEvaluation: async (query) => {
      const store = openCliEvaluationStore(context);
      try {
        return await new TrackedEvaluationEvidence(store.tracker).latestEvaluation(query);
      } finally {
        store.close();
      }
    },
  };
}
