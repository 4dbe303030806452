import { runMlflowPython } from '../testing/index.js';
import type { SuiteContext } from './suite-context.js';
import { collect, failure } from './suite-context.js';

/** Experiments and runs against a real server. */
export function experimentsAndRunsSuite(context: () => SuiteContext): void {
  describe('experiments', () => {
    it('creates, finds by name and id, tags and searches an experiment', async () => {
      const { client, unique } = context();
      const name = unique('llmops-experiment');
      const experimentId = await client.experiments.create({ name, tags: { team: 'search' } });
      const byName = await client.experiments.getByName(name);
      expect(byName).toMatchObject({ experimentId, name, lifecycleStage: 'active', tags: { team: 'search' } });
      expect(byName.artifactLocation).toBe(`mlflow-artifacts:/${experimentId}`);
      await client.experiments.setTag({ experimentId, key: 'owner', value: 'ada' });
      expect((await client.experiments.get(experimentId)).tags).toEqual({ team: 'search', owner: 'ada' });
      const found = await collect(client.experiments.search({ filter: `name = '${name}'` }));
      expect(found.map((experiment) => experiment.experimentId)).toEqual([experimentId]);
      expect(await client.experiments.getOrCreate({ name })).toBe(experimentId);
    });

    it('answers a taken name with conflict and an unknown one with not_found', async () => {
      const { client, unique } = context();
      const name = unique('llmops-experiment');
      await client.experiments.create({ name });
      expect((await failure(client.experiments.create({ name }))).code).toBe('conflict');
      const missing = await failure(client.experiments.getByName(unique('missing')));
      expect(missing.code).toBe('not_found');
      expect(missing.message).toMatch(/RESOURCE_DOES_NOT_EXIST: Could not find experiment with name/);
      expect((await failure(client.experiments.get('987654321'))).code).toBe('not_found');
    });
  });

  describe('runs', () => {
    it('logs 150 params, 120 tags and 2500 metrics in 3 requests and reads them back', async () => {
      const { client, unique } = context();
      const experimentId = await client.experiments.create({ name: unique('llmops-runs') });
      const run = await client.runs.create({ experimentId, runName: 'batch', tags: { case: 'batch' } });
      expect(run.info).toMatchObject({ experimentId, runName: 'batch', status: 'RUNNING', lifecycleStage: 'active' });
      const params = Object.fromEntries(
        Array.from({ length: 150 }, (_, index) => [`param_${index}`, `value ${index}`]),
      );
      const tags = Object.fromEntries(Array.from({ length: 120 }, (_, index) => [`tag.${index}`, `t${index}`]));
      const metrics = Array.from({ length: 2500 }, (_, index) => ({
        key: `series_${index % 5}`,
        value: index / 10,
        step: Math.floor(index / 5),
        timestamp: 1_700_000_000_000 + index,
      }));
      const { requests } = await client.runs.logBatch({ runId: run.info.runId, params, tags, metrics });
      expect(requests).toBe(3);
      const read = await client.runs.get(run.info.runId);
      expect(read.data.params).toEqual(params);
      expect(read.data.tags).toMatchObject({ ...tags, case: 'batch' });
      expect(read.data.metrics).toHaveLength(5);
      expect(read.data.metrics.find((metric) => metric.key === 'series_4')).toEqual({
        key: 'series_4',
        value: 249.9,
        step: 499,
        timestamp: 1_700_000_002_499,
      });
      const history = await client.runs.getMetricHistory({ runId: run.info.runId, key: 'series_0' });
      expect(history).toHaveLength(500);
      expect(history.map((metric) => metric.step)).toEqual(Array.from({ length: 500 }, (_, index) => index));
    });

    it('sends NaN and infinite metric values the way MLflow accepts them', async () => {
      const { client, unique } = context();
      const experimentId = await client.experiments.create({ name: unique('llmops-runs') });
      const { info } = await client.runs.create({ experimentId });
      await client.runs.logBatch({
        runId: info.runId,
        metrics: [
          { key: 'nan', value: Number.NaN },
          { key: 'up', value: Infinity },
          { key: 'down', value: -Infinity },
        ],
      });
      const values = Object.fromEntries(
        (await client.runs.get(info.runId)).data.metrics.map((metric) => [metric.key, metric.value]),
      );
      expect(values['nan']).toBeNaN();
      // MLflow's SQL stores cannot hold infinities and keep the largest finite doubles instead.
      expect(values['up']).toBe(Number.MAX_VALUE);
      expect(values['down']).toBe(-Number.MAX_VALUE);
    });

    it('ends a run with status and end time', async () => {
      const { client, unique } = context();
      const experimentId = await client.experiments.create({ name: unique('llmops-runs') });
      const { info } = await client.runs.create({ experimentId, startTime: 1_700_000_000_000 });
      const ended = await client.runs.end({ runId: info.runId, status: 'FAILED', endTime: 1_700_000_005_000 });
      expect(ended).toMatchObject({
        runId: info.runId,
        status: 'FAILED',
        startTime: 1_700_000_000_000,
        endTime: 1_700_000_005_000,
      });
      await client.runs.update({ runId: info.runId, runName: 'renamed' });
      expect((await client.runs.get(info.runId)).info).toMatchObject({ runName: 'renamed', status: 'FAILED' });
    });

    it('searches runs with a filter and an order, page by page', async () => {
      const { client, unique } = context();
      const experimentId = await client.experiments.create({ name: unique('llmops-search') });
      for (let score = 0; score < 5; score += 1) {
        const { info } = await client.runs.create({ experimentId, runName: `run-${score}` });
        await client.runs.logBatch({
          runId: info.runId,
          metrics: [{ key: 'score', value: score }],
          params: { model: score % 2 === 0 ? 'even' : 'odd' },
        });
      }
      const firstPage = await client.runs.searchPage({
        experimentIds: [experimentId],
        filter: 'metrics.score >= 1',
        orderBy: ['metrics.score DESC'],
        pageSize: 2,
      });
      expect(firstPage.items.map((run) => run.info.runName)).toEqual(['run-4', 'run-3']);
      expect(firstPage.nextPageToken).toEqual(expect.any(String));
      const all = await collect(
        client.runs.search({
          experimentIds: [experimentId],
          filter: 'metrics.score >= 1',
          orderBy: ['metrics.score DESC'],
          pageSize: 2,
        }),
      );
      expect(all.map((run) => run.info.runName)).toEqual(['run-4', 'run-3', 'run-2', 'run-1']);
      const even = await collect(
        client.runs.search({
          experimentIds: [experimentId],
          filter: "params.model = 'even'",
          orderBy: ['metrics.score ASC'],
        }),
      );
      expect(even.map((run) => run.data.params['model'])).toEqual(['even', 'even', 'even']);
      expect(await collect(client.runs.search({ experimentIds: [experimentId], pageSize: 1, limit: 2 }))).toHaveLength(
        2,
      );
    });

    it('logs a dataset input that runs.get and Python mlflow.get_run read back', async () => {
      const { client, unique, workspaceRoot, trackingUri } = context();
      const experimentId = await client.experiments.create({ name: unique('llmops-inputs') });
      const { info } = await client.runs.create({ experimentId });
      const dataset = {
        name: 'support-qa',
        digest: '60d7e7959564',
        sourceType: 'local',
        source: '{"uri": "confs/data/eval/support-qa.jsonl"}',
        profile: '{"num_rows": 101}',
        context: 'evaluation',
      };
      expect(await client.runs.logInputs({ runId: info.runId, datasets: [dataset] })).toEqual({ requests: 1 });
      // The same name and digest again is recorded once.
      await client.runs.logInputs({ runId: info.runId, datasets: [dataset] });
      expect((await client.runs.get(info.runId)).inputs.datasetInputs).toEqual([
        { ...dataset, schema: undefined, tags: { 'mlflow.data.context': 'evaluation' } },
      ]);
      const code = [
        'import json, mlflow',
        `inputs = mlflow.get_run("${info.runId}").inputs.dataset_inputs`,
        'print(json.dumps([{"name": i.dataset.name, "digest": i.dataset.digest, "source_type": i.dataset.source_type,',
        '  "uri": json.loads(i.dataset.source)["uri"], "tags": {t.key: t.value for t in i.tags}} for i in inputs]))',
      ].join('\n');
      const stdout = await runMlflowPython({ workspaceRoot, code, env: { MLFLOW_TRACKING_URI: trackingUri } });
      expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '')).toEqual([
        {
          name: 'support-qa',
          digest: '60d7e7959564',
          source_type: 'local',
          uri: 'confs/data/eval/support-qa.jsonl',
          tags: { 'mlflow.data.context': 'evaluation' },
        },
      ]);
      const missing = await failure(
        client.runs.logInputs({ runId: '0123456789abcdef0123456789abcdef', datasets: [dataset] }),
      );
      expect(missing.code).toBe('not_found');
    });

    it('answers a changed param with invalid_input and an unknown run with not_found', async () => {
      const { client, unique } = context();
      const experimentId = await client.experiments.create({ name: unique('llmops-runs') });
      const { info } = await client.runs.create({ experimentId });
      await client.runs.logBatch({ runId: info.runId, params: { lr: '0.1' } });
      const changed = await failure(client.runs.logBatch({ runId: info.runId, params: { lr: '0.2' } }));
      expect(changed.code).toBe('invalid_input');
      expect(changed.message).toMatch(/Changing param values is not allowed/);
      expect((await failure(client.runs.get('0123456789abcdef0123456789abcdef'))).code).toBe('not_found');
    });
  });
}
