import { LlmopsError } from '@llmops/kernel';
import { startTestServer } from './__fixtures__/http-test-server.js';
import type { TestServer } from './__fixtures__/http-test-server.js';
import { checkAlias, checkArtifactPath, checkEntityKey, checkModelName } from './input-validation.js';
import { createMlflowClient } from './mlflow-client.js';
import type { MlflowClient } from './mlflow-client.js';

let server: TestServer;
let client: MlflowClient;
const runId = '1a470eae6c604157b9a261614cb88ad0';

beforeAll(async () => {
  server = await startTestServer(() => ({ status: 200, body: '{}' }));
  client = createMlflowClient({ trackingUri: server.url });
});

afterAll(() => server.close());

async function rejection(call: () => Promise<unknown>): Promise<LlmopsError> {
  try {
    await call();
  } catch (error) {
    if (LlmopsError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the call to be refused');
}

describe('inputs MLflow would reject fail before any request, naming the field', () => {
  const cases: [string, () => Promise<unknown>, RegExp][] = [
    [
      'a param value over 6000 characters',
      () => client.runs.logBatch({ runId, params: { prompt: 'x'.repeat(6001) } }),
      /params\["prompt"\] value is 6001 characters long; MLflow allows at most 6000/,
    ],
    [
      'a metric key over 250 characters',
      () => client.runs.logBatch({ runId, metrics: [{ key: 'k'.repeat(251), value: 1 }] }),
      /metrics\[0\]\.key "k{60}…" is 251 characters long; MLflow allows at most 250/,
    ],
    [
      'a metric key with forbidden characters',
      () =>
        client.runs.logBatch({
          runId,
          metrics: [
            { key: 'ok', value: 1 },
            { key: 'loss!', value: 1 },
          ],
        }),
      /metrics\[1\]\.key "loss!" has characters MLflow rejects/,
    ],
    [
      'a metric key that is not a normalised path',
      () => client.runs.logBatch({ runId, metrics: [{ key: 'eval/../loss', value: 1 }] }),
      /metrics\[0\]\.key "eval\/\.\.\/loss" is not a normalised path/,
    ],
    [
      'a fractional step',
      () => client.runs.logBatch({ runId, metrics: [{ key: 'loss', value: 1, step: 1.5 }] }),
      /metrics\[0\]\.step is 1\.5/,
    ],
    [
      'a negative timestamp',
      () => client.runs.logBatch({ runId, metrics: [{ key: 'loss', value: 1, timestamp: -1 }] }),
      /metrics\[0\]\.timestamp is -1/,
    ],
    [
      'a run tag value over 8000 characters',
      () => client.runs.setTag({ runId, key: 'note', value: 'x'.repeat(8001) }),
      /value is 8001 characters long; MLflow allows at most 8000/,
    ],
    [
      'a tag key over 250 characters in a batch',
      () => client.runs.logBatch({ runId, tags: { ['t'.repeat(251)]: 'v' } }),
      /tags\["t+"\] key is 251 characters long/,
    ],
    ['a malformed run id', () => client.runs.get('../etc/passwd'), /runId "\.\.\/etc\/passwd" is not an MLflow id/],
    ['an empty experiment name', () => client.experiments.create({ name: '' }), /^name is empty/],
    [
      'an experiment name over 500 characters',
      () => client.experiments.getByName('e'.repeat(501)),
      /name is 501 characters long; MLflow allows at most 500/,
    ],
    [
      'a model name with a slash',
      () => client.registry.createRegisteredModel({ name: 'team/bot' }),
      /name "team\/bot" contains "\/" or ":"/,
    ],
    [
      'a prompt name with a space',
      () => client.prompts.register({ name: 'support bot', template: 'Hi' }),
      /name "support bot" has characters outside A-Z a-z 0-9 _ \. -/,
    ],
    [
      'the reserved alias latest',
      () => client.registry.setAlias({ name: 'bot', alias: 'Latest', version: 1 }),
      /alias "latest" is reserved/,
    ],
    [
      'a version-like alias',
      () => client.prompts.setAlias({ name: 'bot', alias: 'v2', version: 1 }),
      /alias "v2" is reserved by MLflow for version numbers/,
    ],
    [
      'an alias with a dot',
      () => client.registry.getModelVersionByAlias({ name: 'bot', alias: 'prod.eu' }),
      /alias "prod\.eu" has characters MLflow rejects in aliases/,
    ],
    [
      'version 0',
      () => client.registry.getModelVersion({ name: 'bot', version: 0 }),
      /version is 0; expected a whole number from 1 upwards/,
    ],
    [
      'an empty model source',
      () => client.registry.createModelVersion({ name: 'bot', source: ' ' }),
      /source is empty/,
    ],
    [
      'a registry tag value over 100,000 characters',
      () => client.registry.setModelVersionTag({ name: 'bot', version: 1, key: 'k', value: 'x'.repeat(100_001) }),
      /tag\["k"\] value is 100001 characters long/,
    ],
    [
      'an artifact path escaping the run',
      () =>
        client.artifacts.upload({
          artifactUri: `mlflow-artifacts:/1/${runId}/artifacts`,
          path: '../other/x.txt',
          content: 'x',
        }),
      /path "\.\.\/other\/x\.txt" has an empty, "\." or "\.\." segment/,
    ],
    [
      'an artifact root outside the proxy',
      () => client.artifacts.list({ artifactUri: 's3://bucket/1/run/artifacts' }),
      /artifact root "s3:\/\/bucket\/1\/run\/artifacts" is not served by MLflow's artifact proxy/,
    ],
    ['a search without experiments', () => client.runs.searchPage({ experimentIds: [] }), /experimentIds is empty/],
    [
      'a page size over the maximum',
      () => client.registry.searchRegisteredModelsPage({ pageSize: 5000 }),
      /pageSize is 5000; expected a whole number from 1 to 1000/,
    ],
    [
      'a reserved prompt tag',
      () => client.prompts.register({ name: 'bot', template: 'Hi', tags: { 'mlflow.prompt.text': 'x' } }),
      /tags\["mlflow\.prompt\.text"\] is reserved/,
    ],
    [
      'an empty chat template',
      () => client.prompts.register({ name: 'bot', template: [] }),
      /template is neither text nor a non-empty list/,
    ],
    [
      'a trace with two roots',
      () =>
        client.traces.log({
          experimentId: '1',
          spans: [
            { name: 'a', startTimeMs: 1, endTimeMs: 2 },
            { name: 'b', startTimeMs: 1, endTimeMs: 2 },
          ],
        }),
      /spans has 2 root spans/,
    ],
  ];

  it.each(cases)('refuses %s', async (_, call, message) => {
    const before = server.requests.length;
    const error = await rejection(call);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(message);
    expect(server.requests.length).toBe(before);
  });

  it('validates a whole batch before sending any part of it', async () => {
    const metrics = Array.from({ length: 2500 }, (_, index) => ({ key: 'loss', value: index, step: index }));
    metrics.push({ key: 'loss', value: Number.NaN, step: -0.5 });
    const error = await rejection(() => client.runs.logBatch({ runId, metrics }));
    expect(error.message).toMatch(/metrics\[2500\]\.step/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('the rules themselves', () => {
  it('accepts what MLflow accepts', () => {
    expect(() => checkEntityKey('eval/accuracy_k:5 top', 'key')).not.toThrow();
    expect(() => checkEntityKey('précision', 'key')).not.toThrow();
    expect(() => checkModelName('Support Bot v2')).not.toThrow();
    expect(() => checkAlias('champion-2', { forWrite: true })).not.toThrow();
    expect(() => checkAlias('latest', { forWrite: false })).not.toThrow();
    expect(() => checkArtifactPath('reports/summary.json', { field: 'path', allowEmpty: false })).not.toThrow();
  });

  it('refuses model names MLflow path-normalises', () => {
    expect(() => checkModelName('..hidden')).toThrow(/would not survive path normalisation/);
    expect(() => checkModelName('a:b')).toThrow(/contains "\/" or ":"/);
  });
});
