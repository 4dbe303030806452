import type { AliasEvaluation, ReevaluationOutcome } from './alert-record.js';

/** Whether an alert may roll the champion back, and why. */
export interface RollbackDecision {
  allowed: boolean;
  reason: string;
}

function failedOn(evaluation: AliasEvaluation): string {
  return `${evaluation.dataset} (run ${evaluation.runId}: ${evaluation.failedCriteria.join('; ')})`;
}

/**
 * The rollback policy of alerts: the champion is rolled back only when its re-evaluation, in the same alert, ran
 * and failed its gate **on at least one dataset**, as the promotion policy refuses a candidate that fails a
 * criterion on any one of its datasets: a champion that would not be promoted today is not kept. A champion that
 * passed on every dataset, was not evaluated, or was evaluated without any gate stays; a dataset without a gate
 * neither accuses nor clears it.
 */
export function decideRollback(reevaluation: ReevaluationOutcome | undefined): RollbackDecision {
  if (reevaluation === undefined) {
    return { allowed: false, reason: 'the champion was not re-evaluated in this alert, so nothing shows it is worse' };
  }
  const runs = reevaluation.evaluations.filter(
    (evaluation) => evaluation.alias === 'champion' && evaluation.version !== null && evaluation.runId !== null,
  );
  const champion = runs[0];
  if (champion === undefined) {
    return { allowed: false, reason: `model ${reevaluation.model} has no champion to roll back` };
  }
  const ref = `${reevaluation.model}/${champion.version}`;
  const gated = runs.filter((evaluation) => evaluation.gatePassed !== null);
  if (gated.length === 0) {
    return { allowed: false, reason: 'the re-evaluation checked no gate, so it cannot show the champion failing' };
  }
  const failed = gated.filter((evaluation) => evaluation.gatePassed === false);
  if (failed.length === 0) {
    const passed = gated.map((evaluation) => `${evaluation.dataset} (run ${evaluation.runId})`).join(', ');
    return { allowed: false, reason: `champion ${ref} passed its gate on ${passed}` };
  }
  return { allowed: true, reason: `champion ${ref} failed its gate on ${failed.map(failedOn).join(', ')}` };
}
