import { LlmopsError } from '@llmops/kernel';
import { z } from 'zod';
import { readJsonFixture, startTestServer } from './__fixtures__/http-test-server.js';
import type { TestServer } from './__fixtures__/http-test-server.js';
import type { DatasetInput } from './dataset-input.js';
import { createMlflowClient } from './mlflow-client.js';
import type { MlflowClient } from './mlflow-client.js';
import { runSchema } from './runs-api.js';

let server: TestServer;
let client: MlflowClient;
const runId = 'f82d622953e34a48bf0e14833c5a6dfe';
const supportQa: DatasetInput = {
  name: 'support-qa',
  digest: '60d7e7959564',
  sourceType: 'local',
  // Written as Python's json.dumps writes them, as MLflow's dataset sources do.
  source: '{"uri": "confs/data/eval/support-qa.jsonl"}',
  profile: '{"num_rows": 101}',
  context: 'evaluation',
};

beforeAll(async () => {
  server = await startTestServer(() => ({ status: 200, body: '{}' }));
  client = createMlflowClient({ trackingUri: server.url });
});

afterAll(() => server.close());

beforeEach(() => {
  server.requests.length = 0;
});

async function rejection(call: () => Promise<unknown>): Promise<LlmopsError> {
  try {
    await call();
  } catch (error) {
    if (LlmopsError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the call to be refused');
}

describe('runs.logInputs', () => {
  it("sends the body MLflow's Python client serialises for log_inputs", async () => {
    const { requests } = await client.runs.logInputs({ runId, datasets: [supportQa] });
    expect(requests).toBe(1);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/api/2.0/mlflow/runs/log-inputs');
    expect(JSON.parse(request?.body.toString('utf8') ?? '')).toEqual(readJsonFixture('log-inputs-request.json'));
  });

  it('leaves out the context tag, schema and profile when not given', async () => {
    await client.runs.logInputs({
      runId,
      datasets: [{ name: 'mini', digest: 'abc', sourceType: 'code', source: '{}' }],
    });
    expect(JSON.parse(server.requests[0]?.body.toString('utf8') ?? '')).toEqual({
      run_id: runId,
      datasets: [{ dataset: { name: 'mini', digest: 'abc', source_type: 'code', source: '{}' }, tags: [] }],
    });
  });

  it('sends 1000 datasets per request and nothing for an empty list', async () => {
    const datasets = Array.from({ length: 1001 }, (_, index) => ({ ...supportQa, digest: `d${index}` }));
    expect(await client.runs.logInputs({ runId, datasets })).toEqual({ requests: 2 });
    const sizes = server.requests.map(
      (request) => (JSON.parse(request.body.toString('utf8')) as { datasets: unknown[] }).datasets.length,
    );
    expect(sizes).toEqual([1000, 1]);
    server.requests.length = 0;
    expect(await client.runs.logInputs({ runId, datasets: [] })).toEqual({ requests: 0 });
    expect(server.requests).toHaveLength(0);
  });

  describe('refuses what MLflow would reject before any request, naming the field', () => {
    const cases: [string, Partial<DatasetInput>, RegExp][] = [
      [
        'a name over 500 characters',
        { name: 'n'.repeat(501) },
        /^datasets\[1\]\.name is 501 characters long; MLflow allows at most 500$/,
      ],
      ['an empty name', { name: '' }, /^datasets\[1\]\.name is empty; expected the dataset name$/],
      [
        'a digest over 36 characters',
        { digest: 'a'.repeat(64) },
        /^datasets\[1\]\.digest is 64 characters long; MLflow allows at most 36$/,
      ],
      ['a missing digest', { digest: undefined }, /^datasets\[1\]\.digest is undefined; expected a short hash/],
      [
        'a source type over 36 characters',
        { sourceType: 's'.repeat(37) },
        /^datasets\[1\]\.sourceType is 37 characters long; MLflow allows at most 36$/,
      ],
      [
        'a source over 65 535 characters',
        { source: 'x'.repeat(65_536) },
        /^datasets\[1\]\.source is 65536 characters long; MLflow allows at most 65535$/,
      ],
      ['an empty source', { source: '' }, /^datasets\[1\]\.source is empty/],
      [
        'a schema over 1 048 575 characters',
        { schema: 'x'.repeat(1_048_576) },
        /^datasets\[1\]\.schema is 1048576 characters long; MLflow allows at most 1048575$/,
      ],
      [
        'a context over 500 characters',
        { context: 'c'.repeat(501) },
        /^datasets\[1\]\.context is 501 characters long; MLflow allows at most 500$/,
      ],
    ];
    it.each(cases)('%s', async (_, change, message) => {
      const datasets = [supportQa, { ...supportQa, ...change } as DatasetInput];
      const error = await rejection(() => client.runs.logInputs({ runId, datasets }));
      expect(error.code).toBe('invalid_input');
      expect(error.message).toMatch(message);
      expect(server.requests).toHaveLength(0);
    });

    it('a malformed run id or a datasets value that is not a list', async () => {
      expect((await rejection(() => client.runs.logInputs({ runId: '../x', datasets: [supportQa] }))).message).toMatch(
        /^runId "\.\.\/x" is not an MLflow id/,
      );
      const notList = await rejection(() =>
        client.runs.logInputs({ runId, datasets: supportQa as unknown as DatasetInput[] }),
      );
      expect(notList.message).toBe('datasets is object; expected a list of {name, digest, sourceType, source}');
      expect(server.requests).toHaveLength(0);
    });
  });
});

describe('run inputs read from runs/get', () => {
  it('reads the dataset input and its context from a real MLflow 3.17 answer', () => {
    const { run } = z.object({ run: runSchema }).parse(readJsonFixture('run-with-dataset-input.json'));
    expect(run.inputs.datasetInputs).toEqual([
      {
        name: 'support-qa',
        digest: '60d7e7959564',
        sourceType: 'local',
        source: '{"uri": "confs/data/eval/support-qa.jsonl"}',
        schema: undefined,
        profile: undefined,
        context: 'evaluation',
        tags: { 'mlflow.data.context': 'evaluation' },
      },
    ]);
  });

  it('defaults to no dataset inputs when MLflow sends an empty or no inputs object', () => {
    const { run } = z.object({ run: runSchema }).parse(readJsonFixture('created-run.json'));
    expect(run.inputs).toEqual({ datasetInputs: [] });
    expect(runSchema.parse({ info: { run_id: 'abc', experiment_id: '0' } }).inputs).toEqual({ datasetInputs: [] });
  });
});
