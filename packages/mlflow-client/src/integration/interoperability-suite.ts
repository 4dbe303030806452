import { runMlflowPython } from '../testing/index.js';
import type { SuiteContext } from './suite-context.js';

/** Runs a Python snippet against the backend's server and parses the JSON it prints last. */
async function python<Result>(context: SuiteContext, options: { code: string; input: unknown }): Promise<Result> {
  const stdout = await runMlflowPython({
    workspaceRoot: context.workspaceRoot,
    code: options.code,
    env: { MLFLOW_TRACKING_URI: context.trackingUri, LLMOPS_INTEROP_INPUT: JSON.stringify(options.input) },
  });
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] as string) as Result;
}

const pythonReadsWhatTypeScriptWrote = `
import json, os
import mlflow
from mlflow import MlflowClient

data = json.loads(os.environ["LLMOPS_INTEROP_INPUT"])
prompt = mlflow.genai.load_prompt(f"prompts:/{data['prompt']}@{data['promptAlias']}")
chat = mlflow.genai.load_prompt(f"prompts:/{data['prompt']}/2")
version = MlflowClient().get_model_version_by_alias(data["model"], data["modelAlias"])
runs = mlflow.search_runs(
    experiment_ids=[data["experimentId"]],
    filter_string=f"tags.llmops_case = '{data['case']}' and metrics.relevancy > 0.9 and params.model = 'gpt-4o'",
    output_format="list",
)
print(json.dumps({
    "template": prompt.template,
    "promptVersion": prompt.version,
    "formatted": prompt.format(question="Why?"),
    "chatTemplate": chat.template,
    "chatModelConfig": chat.model_config,
    "modelVersion": version.version,
    "modelSource": version.source,
    "modelRunId": version.run_id,
    "runs": [{"runId": r.info.run_id, "metrics": r.data.metrics, "params": r.data.params, "tags": {k: v for k, v in r.data.tags.items() if not k.startswith("mlflow.")}} for r in runs],
}))
`;

const pythonWrites = `
import json, os
import mlflow

data = json.loads(os.environ["LLMOPS_INTEROP_INPUT"])
experiment = mlflow.set_experiment(data["experiment"])
text = mlflow.genai.register_prompt(name=data["textPrompt"], template="Summarise {{text}} in {{words}} words.", commit_message="from python", tags={"team": "search"})
chat = mlflow.genai.register_prompt(
    name=data["chatPrompt"],
    template=[{"role": "system", "content": "You are {{persona}}."}, {"role": "user", "content": "{{question}}"}],
    model_config={"model_name": "gpt-4o", "temperature": 0.2, "max_tokens": 200},
)
mlflow.genai.set_prompt_alias(data["textPrompt"], alias="production", version=text.version)
with mlflow.start_run(run_name="python-evaluation") as run:
    mlflow.log_params({"model": "gpt-4o", "top_k": 5})
    mlflow.log_metrics({"relevancy": 0.93, "latency_p95_ms": 420.0})
    for step in range(3):
        mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
    mlflow.set_tags({"llmops.stage": "evaluation"})
print(json.dumps({"experimentId": experiment.experiment_id, "runId": run.info.run_id, "textVersion": text.version, "chatVersion": chat.version}))
`;

/** Python's mlflow (same venv) reads what this client writes, and this client reads what Python writes. */
export function interoperabilitySuite(context: () => SuiteContext): void {
  describe('interoperability with Python mlflow 3.17', () => {
    it('Python loads the prompt, resolves the alias and finds the run this client wrote', async () => {
      const suite = context();
      const { client, unique } = suite;
      const prompt = unique('ts-prompt');
      await client.prompts.register({
        name: prompt,
        template: 'Answer {{question}} from the context.',
        commitMessage: 'from typescript',
      });
      await client.prompts.register({
        name: prompt,
        template: [{ role: 'user', content: '{{question}}' }],
        modelConfig: { model_name: 'gpt-4o-mini', temperature: 0.3 },
      });
      await client.prompts.setAlias({ name: prompt, alias: 'production', version: 1 });

      const experimentId = await client.experiments.create({ name: unique('ts-experiment') });
      const { info } = await client.runs.create({ experimentId, tags: { llmops_case: 'interop' } });
      await client.runs.logBatch({
        runId: info.runId,
        metrics: [
          { key: 'relevancy', value: 0.95 },
          { key: 'loss', value: 0.25, step: 3 },
        ],
        params: { model: 'gpt-4o', top_k: '5' },
        tags: { 'llmops.stage': 'evaluation' },
      });
      await client.runs.end({ runId: info.runId });
      const model = unique('ts-model');
      await client.registry.createRegisteredModel({ name: model });
      await client.registry.createModelVersion({ name: model, source: `runs:/${info.runId}/model`, runId: info.runId });
      await client.registry.createModelVersion({
        name: model,
        source: `runs:/${info.runId}/model-v2`,
        runId: info.runId,
      });
      await client.registry.setAlias({ name: model, alias: 'champion', version: 2 });

      const read = await python<{
        template: string;
        promptVersion: number;
        formatted: string;
        chatTemplate: unknown;
        chatModelConfig: unknown;
        modelVersion: string;
        modelSource: string;
        modelRunId: string;
        runs: {
          runId: string;
          metrics: Record<string, number>;
          params: Record<string, string>;
          tags: Record<string, string>;
        }[];
      }>(suite, {
        code: pythonReadsWhatTypeScriptWrote,
        input: { prompt, promptAlias: 'production', model, modelAlias: 'champion', experimentId, case: 'interop' },
      });
      expect(read.template).toBe('Answer {{question}} from the context.');
      expect(read.promptVersion).toBe(1);
      expect(read.formatted).toBe('Answer Why? from the context.');
      expect(read.chatTemplate).toEqual([{ role: 'user', content: '{{question}}' }]);
      expect(read.chatModelConfig).toEqual({ model_name: 'gpt-4o-mini', temperature: 0.3 });
      expect(read.modelVersion).toBe('2');
      expect(read.modelSource).toBe(`runs:/${info.runId}/model-v2`);
      expect(read.modelRunId).toBe(info.runId);
      expect(read.runs).toEqual([
        {
          runId: info.runId,
          metrics: { relevancy: 0.95, loss: 0.25 },
          params: { model: 'gpt-4o', top_k: '5' },
          tags: { llmops_case: 'interop', 'llmops.stage': 'evaluation' },
        },
      ]);
    });

    it('this client reads the prompts and the run Python wrote', async () => {
      const suite = context();
      const { client, unique } = suite;
      const textPrompt = unique('py-prompt');
      const chatPrompt = unique('py-chat');
      const written = await python<{ experimentId: string; runId: string; textVersion: number; chatVersion: number }>(
        suite,
        {
          code: pythonWrites,
          input: { experiment: unique('py-experiment'), textPrompt, chatPrompt },
        },
      );
      const text = await client.prompts.load(`${textPrompt}@production`);
      expect(text).toMatchObject({
        name: textPrompt,
        version: written.textVersion,
        type: 'text',
        template: 'Summarise {{text}} in {{words}} words.',
        variables: ['text', 'words'],
        commitMessage: 'from python',
        tags: { team: 'search' },
        modelConfig: undefined,
      });
      const chat = await client.prompts.load(`prompts:/${chatPrompt}/${written.chatVersion}`);
      expect(chat).toMatchObject({
        type: 'chat',
        template: [
          { role: 'system', content: 'You are {{persona}}.' },
          { role: 'user', content: '{{question}}' },
        ],
        variables: ['persona', 'question'],
        modelConfig: { model_name: 'gpt-4o', temperature: 0.2, max_tokens: 200 },
      });
      expect((await client.prompts.get(textPrompt)).aliases).toEqual({ production: written.textVersion });

      const run = await client.runs.get(written.runId);
      expect(run.info).toMatchObject({
        experimentId: written.experimentId,
        runName: 'python-evaluation',
        status: 'FINISHED',
      });
      expect(run.data.params).toEqual({ model: 'gpt-4o', top_k: '5' });
      expect(Object.fromEntries(run.data.metrics.map((metric) => [metric.key, metric.value]))).toEqual({
        relevancy: 0.93,
        latency_p95_ms: 420,
        loss: 1 / 3,
      });
      expect(run.data.tags['llmops.stage']).toBe('evaluation');
      expect(
        (await client.runs.getMetricHistory({ runId: written.runId, key: 'loss' })).map((metric) => metric.step),
      ).toEqual([0, 1, 2]);
      const found = await client.runs.searchPage({
        experimentIds: [written.experimentId],
        filter: 'metrics.relevancy > 0.9',
      });
      expect(found.items.map((item) => item.info.runId)).toEqual([written.runId]);
    });
  });
}
