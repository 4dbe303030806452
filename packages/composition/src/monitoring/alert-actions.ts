import type { AliasEvaluation, ReEvaluationPort, RollbackPort } from '@llmops/monitoring';
import type { Registry } from '@llmops/registry';
import { startEvaluation } from '../evaluation/run-evaluation.js';
import type { EvaluationWorkspace } from '../evaluation/run-evaluation.js';

/** Options of {@link createAlertActions}. */
export interface AlertActionsOptions {
  registry: Registry;
  /** Where re-evaluations run: it must serve model versions (`modelTarget`). */
  evaluation: EvaluationWorkspace;
  /** The judge of re-evaluations (`offline` or a model spec such as `openai/gpt-4o-mini`). */
  judge: string;
  /** Examples evaluated at once; 4 by default. */
  concurrency?: number;
  /** Who the registry's audit log names for a rollback; `monitoring-alerts` by default. */
  actor?: string;
}

/** The monitoring context's action ports, implemented with the evaluation and registry contexts. */
export interface AlertActions {
  reevaluation: ReEvaluationPort;
  rollback: RollbackPort;
}

/** The longest reason passed to the registry (its audit log keeps up to 2,000 characters). */
const maxReasonLength = 1_000;

function clip(reason: string): string {
  return reason.length <= maxReasonLength ? reason : `${reason.slice(0, maxReasonLength - 1)}…`;
}

/** The run tag that marks an evaluation an alert started. */
export const alertReevaluationPurpose = 'alert-reevaluation';

/**
 * Wires monitoring's actions: a re-evaluation runs each alias's version (one after the other, so an alert does
 * not double the load; once when both aliases point to the same version) through {@link startEvaluation}, as `llmops eval run --model name/N` would, tagged with the
 * alert; a rollback is the registry's `rollback`, which moves the alias back to `previous-<alias>` and writes the
 * audit entry with the alert's reason.
 */
export function createAlertActions(options: AlertActionsOptions): AlertActions {
  const { registry } = options;
  const reevaluation: ReEvaluationPort = {
    reevaluate: async (request) => {
      const info = await registry.getModel(request.model);
      const evaluations: AliasEvaluation[] = [];
      for (const alias of request.aliases) {
        const version = info.aliases[alias];
        if (version === undefined) {
          evaluations.push({ alias, version: null, runId: null, gatePassed: null, failedCriteria: [] });
          continue;
        }
        // Champion and challenger on the same version: one run answers for both.
        const same = evaluations.find((evaluation) => evaluation.version === version);
        if (same) {
          evaluations.push({ ...same, alias });
          continue;
        }
        const reference = `${request.model}/${version}`;
        const running = await startEvaluation(options.evaluation, {
          name: `${reference} (${alias}) re-evaluated on alert`,
          target: { kind: 'model', reference, ...(request.corpus === undefined ? {} : { corpus: request.corpus }) },
          dataset: request.dataset,
          judge: options.judge,
          ...(request.gates === undefined ? {} : { gates: request.gates }),
          concurrency: options.concurrency ?? 4,
          tags: { 'llmops.purpose': alertReevaluationPurpose, 'llmops.alias': alias, 'llmops.reason': request.reason },
        });
        const report = await running.done;
        const gates = report.record.gates;
        evaluations.push({
          alias,
          version,
          runId: report.record.id,
          gatePassed: gates ? gates.passed : null,
          failedCriteria: (gates?.verdicts ?? [])
            .filter((verdict) => !verdict.passed)
            .map((verdict) => `${verdict.criterion} (was ${verdict.value ?? 'not computed'})`),
        });
      }
      return { model: request.model, dataset: request.dataset, evaluations };
    },
  };
  const rollback: RollbackPort = {
    rollback: async (request) => {
      const result = await registry.rollback({
        name: request.model,
        alias: request.alias,
        reason: clip(request.reason),
        actor: options.actor ?? 'monitoring-alerts',
      });
      return { model: result.name, alias: result.alias, fromVersion: result.fromVersion, toVersion: result.toVersion };
    },
  };
  return { reevaluation, rollback };
}
