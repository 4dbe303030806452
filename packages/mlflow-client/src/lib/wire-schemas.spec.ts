import { readJsonFixture } from './__fixtures__/http-test-server.js';
import { experimentSchema } from './experiments-api.js';
import { modelVersionSchema, registeredModelSchema } from './registry-api.js';
import { runSchema } from './runs-api.js';
import { z } from 'zod';

describe('wire schemas default what MLflow omits', () => {
  it('reads a freshly created run without metrics and params', () => {
    const { run } = z.object({ run: runSchema }).parse(readJsonFixture('created-run.json'));
    expect(run.info).toEqual({
      runId: '1a470eae6c604157b9a261614cb88ad0',
      experimentId: '1',
      runName: 'amazing-steed-747',
      userId: '',
      status: 'RUNNING',
      startTime: 1700000000000,
      endTime: undefined,
      artifactUri: 'mlflow-artifacts:/1/1a470eae6c604157b9a261614cb88ad0/artifacts',
      lifecycleStage: 'active',
    });
    expect(run.data).toEqual({ metrics: [], params: {}, tags: { 'mlflow.runName': 'amazing-steed-747' } });
  });

  it('reads NaN metrics, omitted steps and empty param values', () => {
    const { run } = z.object({ run: runSchema }).parse(readJsonFixture('run-with-nan-metric.json'));
    expect(run.data.metrics[0]?.value).toBeNaN();
    expect(run.data.metrics[1]).toEqual({ key: 'accuracy', value: 0.5, timestamp: 1700000000000, step: 0 });
    expect(run.data.params).toEqual({ lr: '0.1', empty: '' });
    expect(run.info.endTime).toBe(1700000009000);
  });

  it('reads a run with neither data nor run_uuid', () => {
    const run = runSchema.parse({ info: { run_id: 'abc', experiment_id: '0' } });
    expect(run.info.status).toBe('RUNNING');
    expect(run.data).toEqual({ metrics: [], params: {}, tags: {} });
    expect(runSchema.safeParse({ info: { experiment_id: '0' } }).success).toBe(false);
  });

  it('reads a registered model without tags, aliases, versions or description', () => {
    const { registered_model: model } = z
      .object({ registered_model: registeredModelSchema })
      .parse(readJsonFixture('fresh-registered-model.json'));
    expect(model).toEqual({
      name: 'm1',
      creationTimestamp: 1795774792041,
      lastUpdatedTimestamp: 1795774792041,
      description: '',
      userId: '',
      tags: {},
      aliases: {},
      latestVersions: [],
      isPrompt: false,
    });
  });

  it('reads a prompt registered by Python with aliases and versions as numbers', () => {
    const { registered_model: model } = z
      .object({ registered_model: registeredModelSchema })
      .parse(readJsonFixture('python-registered-prompt.json'));
    expect(model.isPrompt).toBe(true);
    expect(model.aliases).toEqual({ prod: 1 });
    expect(model.latestVersions[0]?.version).toBe(1);
    expect(model.latestVersions[0]?.aliases).toEqual([]);
    expect(model.latestVersions[0]?.tags['mlflow.prompt.text']).toBe('Hello {{name}}');
  });

  it('accepts extra fields and int64 values written as strings', () => {
    const version = modelVersionSchema.parse({
      name: 'm',
      version: '12',
      creation_timestamp: '1795774792041',
      deployment_job_state: { job_id: 'x' },
      model_id: 'm-123',
    });
    expect(version.version).toBe(12);
    expect(version.creationTimestamp).toBe(1795774792041);
    expect(version.status).toBe('READY');
    expect(version.source).toBe('');
  });

  it('reads an experiment that has no tags', () => {
    const experiment = experimentSchema.parse({ experiment_id: '0', name: 'Default', workspace: 'default' });
    expect(experiment).toEqual({
      experimentId: '0',
      name: 'Default',
      artifactLocation: '',
      lifecycleStage: 'active',
      creationTime: 0,
      lastUpdateTime: 0,
      tags: {},
    });
  });
});
