import type { EvaluationEvidence } from '../ports.js';

/**
 * The honest {@link EvaluationEvidence} for an app without an evaluation context: it finds no
 * evidence, so a promotion under a policy is refused listing the evidence it needs (or is forced, audited).
 */
export const noEvaluationEvidence: EvaluationEvidence = {
  latestEvaluation: async () => undefined,
};
