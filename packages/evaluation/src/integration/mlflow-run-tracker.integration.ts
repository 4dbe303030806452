import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createMlflowClient } from '@llmops/mlflow-client';
import { runMlflowPython, startMlflowServer } from '@llmops/mlflow-client/testing';
import type { MlflowServer } from '@llmops/mlflow-client/testing';
import { OfflineHeuristicJudge } from '../adapters/judges/offline-heuristic-judge.js';
import { MlflowRunTracker } from '../adapters/mlflow/mlflow-run-tracker.js';
import { standardReportArtifacts } from '../adapters/reports/report-artifacts.js';
import { EvaluationService } from '../application/evaluation-service.js';
import { TrackedEvaluationEvidence } from '../application/tracked-evaluation-evidence.js';
import { createDataset } from '../domain/dataset.js';
import type { Example } from '../domain/example.js';
import { parseCriterion } from '../domain/gates.js';
import { runTrackerConformanceCases } from '../testing/run-tracker-conformance.js';
import { runQueriesConformanceCases } from '../testing/run-queries-conformance.js';
import { TrackerRunQueries } from '../application/tracker-run-queries.js';
import { StaticTarget } from '../testing/static-target.js';

const workspaceRoot = resolve(__dirname, '..', '..', '..', '..');
const suffix = randomBytes(4).toString('hex');
let counter = 0;
const unique = (base: string) => `${base}-${suffix}-${(counter += 1)}`;

const passage = 'Annual subscriptions can be refunded in full within 14 days of purchase.';
const examples: Example[] = [
  {
    id: 'a1',
    input: 'Can annual subscriptions be refunded?',
    expected_output: passage,
    reference_contexts: [passage],
    tags: ['answerable'],
  },
  { id: 'u1', input: 'Who is the CEO of Larkspur Labs?', tags: ['unanswerable'] },
];
const dataset = createDataset({ examples, source: 'confs/data/eval/mini.jsonl', name: 'mini' });
const target = new StaticTarget(
  (example) => ({
    output: example.id === 'a1' ? passage : "I don't know based on the provided context.",
    retrievalContext: [passage],
    latencyMs: 80,
  }),
  {
    kind: 'pipeline',
    name: 'support-bot/3',
    modelRef: 'support-bot/3',
    modelName: `support-bot-${suffix}`,
    modelVersion: '3',
  },
);

describe('MlflowRunTracker on a real MLflow 3.17 server', () => {
  let server: MlflowServer;
  let tracker: MlflowRunTracker;
  const experimentName = `llmops-evaluations-${suffix}`;

  beforeAll(async () => {
    server = await startMlflowServer({ workspaceRoot, backend: 'sqlite' });
    tracker = new MlflowRunTracker(createMlflowClient({ trackingUri: server.trackingUri }), { experimentName });
  }, 300_000);
  afterAll(async () => server?.stop());

  describe('conformance', () => {
    for (const testCase of runTrackerConformanceCases(() => tracker, { unique })) it(testCase.name, testCase.run);
  });

  // The console's reads on MLflow: answered in memory over the tracker, with the same behaviour as SQL on SQLite.
  describe('run queries (conformance)', () => {
    for (const testCase of runQueriesConformanceCases(() => ({ tracker, queries: new TrackerRunQueries(tracker) }), {
      unique,
    }))
      it(testCase.name, testCase.run);
  });

  it('logs params, <metric>/mean and /p95 metrics, tags, artifacts and the dataset input that MLflow’s Python client sees', async () => {
    const service = new EvaluationService({ tracker, artifacts: standardReportArtifacts });
    const { record } = await service.evaluate({
      dataset,
      target,
      judge: new OfflineHeuristicJudge(),
      gates: [parseCriterion('faithfulness.mean >= 0.9'), parseCriterion('latency.p95 <= 500')],
      tags: { purpose: 'integration' },
    });
    expect(record.status).toBe('finished');
    expect(record.artifacts['report.html']).toMatch(/^mlflow-artifacts:\/.+\/report\.html$/);
    const code = [
      'import json, mlflow',
      `runs = mlflow.search_runs(experiment_names=["${experimentName}"], filter_string="attributes.run_id = '${record.id}'")`,
      'row = runs.iloc[0]',
      'artifacts = sorted(item.path for item in mlflow.MlflowClient().list_artifacts(row["run_id"]))',
      'inputs = [{"name": i.dataset.name, "digest": i.dataset.digest, "source_type": i.dataset.source_type, "source": json.loads(i.dataset.source),',
      '  "context": {t.key: t.value for t in i.tags}.get("mlflow.data.context")} for i in mlflow.get_run(row["run_id"]).inputs.dataset_inputs]',
      'print(json.dumps({"faithfulness_mean": row["metrics.faithfulness/mean"], "latency_p95": row["metrics.latency/p95"], "refusal": row["metrics.refusal_correctness/mean"],',
      '  "gate": row["metrics.gate_passed"], "digest": row["params.dataset_digest"], "judge": row["params.judge"], "model": row["params.model_name"],',
      '  "kind": row["tags.llmops.kind"], "gate_tag": row["tags.llmops.gate"], "purpose": row["tags.purpose"], "status": row["status"], "artifacts": artifacts,',
      '  "inputs": inputs}))',
    ].join('\n');
    const seen = JSON.parse(
      await runMlflowPython({ workspaceRoot, code, env: { MLFLOW_TRACKING_URI: server.trackingUri } }),
    ) as Record<string, unknown>;
    expect(seen).toEqual({
      faithfulness_mean: 1,
      latency_p95: 80,
      refusal: 1,
      gate: 1,
      digest: dataset.digest,
      judge: 'offline-heuristic',
      model: `support-bot-${suffix}`,
      kind: 'evaluation',
      gate_tag: 'passed',
      purpose: 'integration',
      status: 'FINISHED',
      artifacts: ['evaluation.json', 'junit.xml', 'report.html', 'results.jsonl', 'summary.md'],
      inputs: [
        {
          name: 'mini',
          digest: dataset.digest,
          source_type: 'local',
          source: { uri: 'confs/data/eval/mini.jsonl' },
          context: 'evaluation',
        },
      ],
    });
    const results = await tracker.results(record.id);
    expect(results.map((result) => result.exampleId)).toEqual(['a1', 'u1']);
    expect((await tracker.get(record.id)).gates?.verdicts.map((verdict) => verdict.reason)).toEqual([
      'faithfulness.mean is 1, meets >= 0.9',
      'latency.p95 is 80, meets <= 500',
      // Every run's gate checks its share of failed examples.
      'error_rate.mean is 0, meets <= 0.01',
    ]);
  });

  it('serves promotion evidence from MLflow runs', async () => {
    const evidence = new TrackedEvaluationEvidence(tracker);
    const found = await evidence.latestEvaluation({ model: `support-bot-${suffix}`, version: 3, dataset: 'mini' });
    expect(found?.metrics).toMatchObject({ 'faithfulness.mean': 1, 'latency.p95': 80, harmful_rate: 0 });
    expect(
      await evidence.latestEvaluation({ model: `support-bot-${suffix}`, version: 4, dataset: 'mini' }),
    ).toBeUndefined();
  });
});
