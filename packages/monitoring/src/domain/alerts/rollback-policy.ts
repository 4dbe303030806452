import type { ReevaluationOutcome } from './alert-record.js';

/** Whether an alert may roll the champion back, and why. */
export interface RollbackDecision {
  allowed: boolean;
  reason: string;
}

/**
 * The rollback policy of alerts: the champion is rolled back only when its re-evaluation, in the same alert,
 * ran and failed its gate. A champion that passed, was not evaluated, or was evaluated without a gate stays.
 */
export function decideRollback(reevaluation: ReevaluationOutcome | undefined): RollbackDecision {
  if (reevaluation === undefined) {
    return { allowed: false, reason: 'the champion was not re-evaluated in this alert, so nothing shows it is worse' };
  }
  const champion = reevaluation.evaluations.find((evaluation) => evaluation.alias === 'champion');
  if (champion === undefined || champion.version === null || champion.runId === null) {
    return { allowed: false, reason: `model ${reevaluation.model} has no champion to roll back` };
  }
  if (champion.gatePassed === null) {
    return { allowed: false, reason: 'the re-evaluation checked no gate, so it cannot show the champion failing' };
  }
  if (champion.gatePassed) {
    return {
      allowed: false,
      reason: `champion ${reevaluation.model}/${champion.version} passed its gate on ${reevaluation.dataset} (run ${champion.runId})`,
    };
  }
  return {
    allowed: true,
    reason: `champion ${reevaluation.model}/${champion.version} failed its gate on ${reevaluation.dataset} (run ${champion.runId}: ${champion.failedCriteria.join('; ')})`,
  };
}
