import { confinedPath, dataRootsOf, LlmopsError, loadProviderCredentials } from '@llmops/kernel';
import { UpstreamPools, upstreamPoolsOptionsFromEnv } from '@llmops/providers';
import type { ModelSpec } from '@llmops/providers';
import {
  createJudge,
  createOpenAiCompatibleTarget,
  loadDatasetFile,
  loadGateFile,
  loadRecordedOutputsFile,
  parseMetricChoice,
  RecordedOutputsTarget,
} from '@llmops/evaluation';
import type {
  Dataset,
  ProgressEvent,
  EvaluationReport,
  EvaluationService,
  GateCriterion,
  Target,
  TargetDescription,
} from '@llmops/evaluation';

/** What to evaluate: a registered model version, an OpenAI-compatible endpoint, or recorded outputs. */
export type EvaluationTargetChoice =
  | { kind: 'model'; reference: string; corpus?: string; retrieval?: RetrievalTrialSettings }
  | { kind: 'endpoint'; baseUrl: string; model: string; apiKeyEnv?: string }
  | { kind: 'outputs'; file: string }
  | { kind: 'dataset-outputs' };

/**
 * How a registered model version is served for an evaluation. `corpus` (a RAG model only) swaps the
 * model's corpus for the run, to measure the same retrieval method on another knowledge base; the
 * run's `corpus` param records it.
 */
export interface ModelTargetOptions {
  corpus?: string;
  /**
   * Retrieval settings tried instead of the version's own (a rebuild's tuning trial, RAG only). The target is then
   * no longer the registered version: its run names the setting and is never that version's promotion evidence.
   */
  retrieval?: RetrievalTrialSettings;
}

/** The retrieval settings a tuning trial replaces (those `pipeline.retrieval.tune` may name). */
export interface RetrievalTrialSettings {
  k: number;
}

/** Builds the target of a registered model version. */
export type ModelTargetBuilder = (reference: string, options: ModelTargetOptions) => Promise<BuiltTarget>;

/** A target ready to answer, and how to release what it holds. */
export interface BuiltTarget {
  target: Target;
  close: () => Promise<void>;
}

/** One evaluation, as `llmops eval run`, an `evaluate` job or `POST /api/v1/evaluations` asks for it. */
export interface EvaluationInvocation {
  name?: string;
  target: EvaluationTargetChoice;
  /** A dataset file (relative to the workspace folder) or a dataset already built. */
  dataset: string | Dataset;
  /**
   * `offline`, a model spec such as `openai/gpt-4o-mini`, or a provider spec with its endpoint
   * (`{provider: 'openai', model, baseUrl, apiKeyEnv}`) for a judge served anywhere but OpenAI.
   */
  judge: string | ModelSpec;
  /** A gate file (relative to the workspace folder), or criteria already read. */
  gates?: string | readonly GateCriterion[];
  /** The share of failed examples the gate accepts when its criteria name no `error_rate`; 0.01 by default. */
  maxErrorRate?: number;
  /** Metric names, each optionally with `:strict` (DeepEval's strict mode: 1 only at 1, else 0); all by default. */
  metrics?: readonly string[];
  concurrency: number;
  tags?: Record<string, string>;
}

/** Where evaluations run: built once by an app. */
export interface EvaluationWorkspace {
  service: EvaluationService;
  /** The folder files are read from. */
  cwd: string;
  /** Where the judge's API key and `${env:…}` in gate files are read. */
  env: Record<string, string | undefined>;
  /**
   * Whether endpoint targets may read API keys from `env`. The API says no: a request names the
   * endpoint, and must not be able to send the server's keys to a host of its choosing.
   */
  endpointKeys: boolean;
  /** Refuse files outside `cwd` (the API, where a request names the files). */
  confineFiles: boolean;
  /** Builds the target of a registered model version; without it, `model` targets are refused. */
  modelTarget?: ModelTargetBuilder;
}

/** Per-run options of {@link startEvaluation}. */
export interface StartEvaluationOptions {
  signal?: AbortSignal;
  /** Makes the progress listener once the target is known (the CLI labels its bar with the target). */
  progress?: (target: TargetDescription) => (event: ProgressEvent) => void;
}

/** A started evaluation: its run id at once, its report when it ends (the target is closed by then). */
export interface RunningEvaluation {
  runId: string;
  target: TargetDescription;
  done: Promise<EvaluationReport>;
}

function readDataset(workspace: EvaluationWorkspace, dataset: string | Dataset): Dataset {
  if (typeof dataset !== 'string') return dataset;
  const path = confinedPath({
    root: workspace.cwd,
    file: dataset,
    what: 'dataset',
    confine: workspace.confineFiles,
    dataRoots: dataRootsOf(workspace.env),
  });
  return loadDatasetFile(path, { source: dataset });
}

function readGates(
  workspace: EvaluationWorkspace,
  gates: string | readonly GateCriterion[] | undefined,
): readonly GateCriterion[] | undefined {
  if (typeof gates !== 'string') return gates;
  confinedPath({
    root: workspace.cwd,
    file: gates,
    what: 'gate file',
    confine: workspace.confineFiles,
    dataRoots: dataRootsOf(workspace.env),
  });
  return loadGateFile(gates, { env: workspace.env, cwd: workspace.cwd });
}

async function buildTarget(
  workspace: EvaluationWorkspace,
  choice: EvaluationTargetChoice,
  run: { dataset: Dataset; pools: UpstreamPools },
): Promise<BuiltTarget> {
  const closeNothing = async () => undefined;
  switch (choice.kind) {
    case 'model':
      if (!workspace.modelTarget) {
        throw new LlmopsError(
          'unavailable',
          'this process does not serve model versions; evaluate them with `llmops eval run --model`',
        );
      }
      if (choice.corpus !== undefined) {
        confinedPath({
          root: workspace.cwd,
          file: choice.corpus,
          what: 'corpus',
          confine: workspace.confineFiles,
          dataRoots: dataRootsOf(workspace.env),
        });
      }
      return workspace.modelTarget(choice.reference, {
        ...(choice.corpus === undefined ? {} : { corpus: choice.corpus }),
        ...(choice.retrieval === undefined ? {} : { retrieval: choice.retrieval }),
      });
    case 'endpoint':
      return {
        target: createOpenAiCompatibleTarget({
          baseUrl: choice.baseUrl,
          model: choice.model,
          ...(choice.apiKeyEnv && workspace.endpointKeys ? { apiKeyEnv: choice.apiKeyEnv } : {}),
          factory: {
            env: workspace.endpointKeys ? workspace.env : {},
            credentials: loadProviderCredentials({ root: workspace.cwd, env: workspace.env }),
            pools: run.pools,
          },
        }),
        close: closeNothing,
      };
    case 'outputs': {
      const file = confinedPath({
        root: workspace.cwd,
        file: choice.file,
        what: 'outputs file',
        confine: workspace.confineFiles,
        dataRoots: dataRootsOf(workspace.env),
      });
      return { target: loadRecordedOutputsFile(file, { cwd: workspace.cwd }), close: closeNothing };
    }
    case 'dataset-outputs':
      return { target: RecordedOutputsTarget.fromDataset(run.dataset), close: closeNothing };
  }
}

/**
 * The `details` of an error in a judge's spec: `field: 'judge'`, and the spec's fields at fault when its schema named
 * them (`baseurl`), so a caller that knows where the spec was written (a job's conf file and line) can say it.
 */
export interface JudgeSpecErrorDetails {
  field: 'judge';
  /** Paths inside the judge spec (`baseurl`, `apiKeyEnv`), as the schema's issues name them; empty when unknown. */
  paths: string[];
}

/** The details of a judge spec error (see {@link JudgeSpecErrorDetails}), or undefined for any other error. */
export function judgeSpecErrorDetails(error: unknown): JudgeSpecErrorDetails | undefined {
  if (!LlmopsError.isInstance(error)) return undefined;
  const details = error.details as Partial<JudgeSpecErrorDetails> | undefined;
  return details?.field === 'judge' && Array.isArray(details.paths) ? (details as JudgeSpecErrorDetails) : undefined;
}

/**
 * The judge of an invocation; an error in its spec (a misspelt field, a key variable not declared for its host)
 * starts with `judge:`, so it is not read as an error of the evaluated model, whose spec looks alike, and carries
 * {@link JudgeSpecErrorDetails}.
 * @throws LlmopsError with the code of the judge's own error.
 */
function judgeOf(
  spec: EvaluationInvocation['judge'],
  factory: NonNullable<Parameters<typeof createJudge>[1]>['factory'],
) {
  try {
    return createJudge(spec, { ...(factory ? { factory } : {}) });
  } catch (error) {
    const failure = LlmopsError.fromUnknown(error);
    const issues = Array.isArray(failure.details) ? (failure.details as { path?: unknown }[]) : [];
    const paths = issues.flatMap((issue) => (typeof issue.path === 'string' ? [issue.path] : []));
    const details: JudgeSpecErrorDetails = { field: 'judge', paths };
    throw new LlmopsError(failure.code, `judge: ${failure.message}`, { cause: failure, details });
  }
}

/**
 * Starts one evaluation: reads the dataset and the gates, builds the judge and the target, and
 * starts the run in the workspace's evaluation service (which tracks it in the store). Answers as
 * soon as the run exists; `done` resolves with the report, after the target is released. The CLI
 * awaits `done`; the API answers 202 with the run id.
 * @throws LlmopsError `invalid_input` for an unreadable dataset, gate file or judge spec;
 * `forbidden` for a file outside the workspace when files are confined; `unavailable` for a model
 * target when the workspace serves no models; what building the target throws.
 */
export async function startEvaluation(
  workspace: EvaluationWorkspace,
  invocation: EvaluationInvocation,
  options: StartEvaluationOptions = {},
): Promise<RunningEvaluation> {
  const dataset = readDataset(workspace, invocation.dataset);
  const gates = readGates(workspace, invocation.gates);
  const credentials = loadProviderCredentials({ root: workspace.cwd, env: workspace.env });
  const metrics = invocation.metrics ? parseMetricChoice(invocation.metrics) : undefined;
  // The upstream connections of the LLM judge and of an endpoint target, closed once the run ends.
  const pools = new UpstreamPools(upstreamPoolsOptionsFromEnv(workspace.env));
  let built: BuiltTarget | undefined;
  const release = async () => {
    try {
      await built?.close();
    } finally {
      await pools.close();
    }
  };
  try {
    const judge = judgeOf(invocation.judge, { env: workspace.env, credentials, pools });
    built = await buildTarget(workspace, invocation.target, { dataset, pools });
    const description = built.target.description;
    const onProgress = options.progress?.(description);
    const started = await workspace.service.start({
      ...(invocation.name ? { name: invocation.name } : {}),
      dataset,
      target: built.target,
      judge,
      ...(gates ? { gates } : {}),
      ...(invocation.maxErrorRate === undefined ? {} : { maxErrorRate: invocation.maxErrorRate }),
      ...(metrics ? { metrics: metrics.metrics, strictMetrics: metrics.strict } : {}),
      concurrency: invocation.concurrency,
      ...(invocation.tags ? { tags: invocation.tags } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(onProgress ? { onProgress } : {}),
    });
    const done = started.done.finally(release);
    return { runId: started.runId, target: description, done };
  } catch (error) {
    await release();
    throw error;
  }
}
