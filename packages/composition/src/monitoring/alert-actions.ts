import { LlmopsError } from '@llmops/kernel';
import type {
  AliasEvaluation,
  RebuildPort,
  RebuildPromotion,
  ReevaluationDataset,
  ReEvaluationPort,
  RetrievalTuning,
  RollbackPort,
} from '@llmops/monitoring';
import type { ModelVersionSpec, RagPipelineSpec } from '@llmops/kernel';
import type { PromotionDecision, PromotionPolicy, Registry } from '@llmops/registry';
import { startEvaluation } from '../evaluation/run-evaluation.js';
import { readCorpusRecord } from '../registry/corpus-record.js';
import type { EvaluationWorkspace } from '../evaluation/run-evaluation.js';
import { describeTrials, tuneRetrieval, tuningCriterionOf } from './retrieval-tuning.js';

/** Options of {@link createAlertActions}. */
export interface AlertActionsOptions {
  registry: Registry;
  /** Where re-evaluations run: it must serve model versions (`modelTarget`). */
  evaluation: EvaluationWorkspace;
  /** The judge of re-evaluations (`offline` or a model spec such as `openai/gpt-4o-mini`). */
  judge: string;
  /** Examples evaluated at once; 4 by default. */
  concurrency?: number;
  /** Who the registry's audit log names for a rollback, a rebuild's registration and promotion; `monitoring-alerts` by default. */
  actor?: string;
  /** The policy a rebuilt challenger is promoted under; without it a rebuild fails before it registers anything. */
  promotionPolicy?: PromotionPolicy;
}

/** The monitoring context's action ports, implemented with the evaluation and registry contexts. */
export interface AlertActions {
  reevaluation: ReEvaluationPort;
  rollback: RollbackPort;
  rebuild: RebuildPort;
}

/** The longest reason passed to the registry (its audit log keeps up to 2,000 characters). */
const maxReasonLength = 1_000;

function clip(reason: string): string {
  return reason.length <= maxReasonLength ? reason : `${reason.slice(0, maxReasonLength - 1)}…`;
}

/** The run tag that marks an evaluation an alert started. */
export const alertReevaluationPurpose = 'alert-reevaluation';

/** What one version's evaluation is asked to do. */
interface VersionEvaluation extends ReevaluationDataset {
  model: string;
  version: number;
  alias: string;
  reason: string;
  /** What started it, for the run's name (`re-evaluated on alert`). */
  why: string;
}

/** Evaluates one model version through {@link startEvaluation}, tagged with the alert, and reports its gate. */
async function evaluateVersion(options: AlertActionsOptions, request: VersionEvaluation): Promise<AliasEvaluation> {
  const reference = `${request.model}/${request.version}`;
  const running = await startEvaluation(options.evaluation, {
    name: `${reference} (${request.alias}) ${request.why}`,
    target: { kind: 'model', reference, ...(request.corpus === undefined ? {} : { corpus: request.corpus }) },
    dataset: request.dataset,
    judge: options.judge,
    ...(request.gates === undefined ? {} : { gates: request.gates }),
    concurrency: options.concurrency ?? 4,
    tags: {
      'llmops.purpose': alertReevaluationPurpose,
      'llmops.alias': request.alias,
      'llmops.reason': request.reason,
    },
  });
  const report = await running.done;
  const gates = report.record.gates;
  return {
    alias: request.alias,
    dataset: request.dataset,
    ...(request.corpus === undefined ? {} : { corpus: request.corpus }),
    version: request.version,
    runId: report.record.id,
    gatePassed: gates ? gates.passed : null,
    failedCriteria: (gates?.verdicts ?? [])
      .filter((verdict) => !verdict.passed)
      // Three significant digits: the alert is read by people (the run keeps the exact value).
      .map(
        (verdict) =>
          `${verdict.criterion} (was ${verdict.value === null ? 'not computed' : Number(verdict.value.toPrecision(3))})`,
      ),
  };
}

/** An alias the model does not have: reported on the dataset, with no run. */
function notEvaluated(alias: string, entry: ReevaluationDataset): AliasEvaluation {
  return {
    alias,
    dataset: entry.dataset,
    ...(entry.corpus === undefined ? {} : { corpus: entry.corpus }),
    version: null,
    runId: null,
    gatePassed: null,
    failedCriteria: [],
  };
}

/** The failed criteria of a promotion decision, as text. */
function failedCriteriaOf(decision: PromotionDecision): string[] {
  return decision.outcomes
    .filter((outcome) => !outcome.passed)
    .map((outcome) => `${outcome.criterion}: ${outcome.reason}`);
}

/**
 * Asks the registry to promote a rebuilt version under the policy: a refusal (`gate_failed`) is a decision, not a
 * failure, and is reported with its failed criteria; any other error is thrown.
 */
async function promoteThroughGate(
  registry: Registry,
  request: { model: string; version: number; policy: PromotionPolicy; actor: string; reason: string },
): Promise<RebuildPromotion> {
  try {
    const result = await registry.promote({
      name: request.model,
      version: request.version,
      alias: 'champion',
      policy: request.policy,
      actor: request.actor,
      reason: request.reason,
    });
    return {
      promoted: true,
      reason: result.changed
        ? `champion ${result.fromVersion ?? 'none'} -> ${result.version} under policy "${request.policy.name}"`
        : `version ${result.version} was already champion`,
      failedCriteria: [],
    };
  } catch (error) {
    const refused = LlmopsError.fromUnknown(error);
    if (refused.code !== 'gate_failed') throw error;
    // The registry's refusal carries the whole decision as its details.
    const decision = refused.details as PromotionDecision | undefined;
    const failedCriteria = decision?.outcomes ? failedCriteriaOf(decision) : [];
    const headline = refused.message.split('\n', 1)[0] ?? refused.message;
    return { promoted: false, reason: [headline, ...failedCriteria].join('; '), failedCriteria };
  }
}

/** A tuning in one sentence: the setting, the metric, each value's score, the choice. */
function tuningSummary(tuning: RetrievalTuning): string {
  return `${tuning.setting} by ${tuning.metric} (worst dataset) ${describeTrials(tuning)}`;
}

/**
 * The champion's spec with the chosen value, and the trials recorded in its description and tags (`tuned.*`; the
 * registry reserves `llmops.*`). The spec keeps its `tune`, so the next rebuild re-tunes again.
 */
function withTunedRetrieval(
  spec: ModelVersionSpec,
  pipeline: RagPipelineSpec,
  tuning: RetrievalTuning,
): ModelVersionSpec {
  const note = `Rebuilt with ${tuning.setting} = ${tuning.chosen}, tuned by ${tuning.metric} (worst dataset): ${describeTrials(tuning)}.`;
  return {
    ...spec,
    description: spec.description === '' ? note : `${spec.description.split('\n\nRebuilt with ')[0]}\n\n${note}`,
    tags: {
      ...spec.tags,
      'tuned.setting': tuning.setting,
      'tuned.value': String(tuning.chosen),
      'tuned.metric': tuning.metric,
      'tuned.trials': describeTrials(tuning),
    },
    pipeline: { ...pipeline, retrieval: { ...pipeline.retrieval, k: tuning.chosen } },
  };
}

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
      for (const entry of request.datasets) {
        const onDataset: AliasEvaluation[] = [];
        for (const alias of request.aliases) {
          const version = info.aliases[alias];
          // Champion and challenger on the same version: one run answers for both.
          const same = onDataset.find((evaluation) => evaluation.version !== null && evaluation.version === version);
          if (version === undefined) onDataset.push(notEvaluated(alias, entry));
          else if (same) onDataset.push({ ...same, alias });
          else
            onDataset.push(
              await evaluateVersion(options, {
                ...entry,
                model: request.model,
                reason: request.reason,
                version,
                alias,
                why: 're-evaluated on alert',
              }),
            );
        }
        evaluations.push(...onDataset);
      }
      return { model: request.model, datasets: request.datasets.map((entry) => entry.dataset), evaluations };
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
  const rebuild: RebuildPort = {
    rebuild: async (request) => {
      const policy = options.promotionPolicy;
      if (!policy) {
        throw new LlmopsError(
          'invalid_input',
          "a rebuild needs a promotion policy (the monitor job's `policy`, confs/promotion-policy.yaml by default), and none was found",
        );
      }
      const actor = options.actor ?? 'monitoring-alerts';
      const info = await registry.getModel(request.model);
      const fromVersion = info.aliases['champion'];
      if (fromVersion === undefined) {
        throw new LlmopsError('not_found', `model "${request.model}" has no champion to rebuild`);
      }
      const champion = await registry.showModel(`${request.model}/${fromVersion}`);
      const pipeline = champion.spec.pipeline;
      if (pipeline.kind !== 'rag') {
        throw new LlmopsError(
          'invalid_input',
          `${request.model}/${fromVersion} is not a RAG version: nothing to re-index`,
        );
      }
      const corpus = await readCorpusRecord(pipeline.corpus, { cwd: options.evaluation.cwd });
      const tune = pipeline.retrieval.tune;
      const tuning = tune
        ? await tuneRetrieval({
            evaluation: options.evaluation,
            judge: options.judge,
            concurrency: options.concurrency ?? 4,
            reference: `${request.model}/${fromVersion}`,
            tune,
            specValue: pipeline.retrieval.k,
            datasets: request.datasets,
            criterion: tuningCriterionOf(policy),
            reason: request.reason,
          })
        : undefined;
      const tuned = tuning ? ` Retrieval re-tuned: ${tuningSummary(tuning)}.` : '';
      // The champion's own spec (its prompt already pinned), re-tuned when it asks for it, over the corpus as it is
      // now: a new version, because the corpus's content hash is part of a version's content hash.
      const registration = await registry.registerModel({
        spec: tuning ? withTunedRetrieval(champion.spec, pipeline, tuning) : champion.spec,
        corpus,
        aliases: ['challenger'],
        actor,
        reason: clip(
          `rebuilt from ${request.model}/${fromVersion} over ${corpus.location} (${corpus.contentHash}) on ${request.reason}.${tuned}`,
        ),
        ...(champion.lineage.gitCommit ? { gitCommit: champion.lineage.gitCommit } : {}),
      });
      const version = registration.version.version;
      const evaluations: AliasEvaluation[] = [];
      for (const entry of request.datasets) {
        evaluations.push(
          await evaluateVersion(options, {
            ...entry,
            model: request.model,
            version,
            alias: 'challenger',
            reason: request.reason,
            why: 'rebuilt on a corpus change',
          }),
        );
      }
      const promotion =
        version === fromVersion
          ? { promoted: true, reason: `version ${version} is already champion`, failedCriteria: [] }
          : await promoteThroughGate(registry, {
              model: request.model,
              version,
              policy,
              actor,
              reason: clip(`rebuilt over ${corpus.location} (${corpus.contentHash}) on ${request.reason}.${tuned}`),
            });
      return {
        model: request.model,
        fromVersion,
        version,
        created: registration.created,
        corpus,
        ...(tuning ? { tuning } : {}),
        evaluations,
        promotion,
      };
    },
  };
  return { reevaluation, rollback, rebuild };
}
