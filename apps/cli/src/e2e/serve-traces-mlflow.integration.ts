import { join } from 'node:path';
import OpenAI from 'openai';
import { runMlflowPython, startMlflowServer } from '@llmops/mlflow-client/testing';
import type { MlflowBackend, MlflowServer } from '@llmops/mlflow-client/testing';
import { runLlmops } from './run-cli.js';
import { exited, registeredWorkspace, startServing } from './serving-workspace.js';

const workspaceRoot = join(__dirname, '..', '..', '..', '..');

/** Python's view of the served traces: what `mlflow.search_traces` finds in the llmops-serving experiment. */
const pythonSearchesServedTraces = `
import json, os, mlflow
experiment = mlflow.get_experiment_by_name("llmops-serving")
traces = mlflow.search_traces(
    experiment_ids=[experiment.experiment_id],
    filter_string="tags.\`llmops.model_name\` = 'kettle-help'",
    return_type="list",
)
result = []
for trace in traces:
    root = next(span for span in trace.data.spans if span.parent_id is None)
    children = sorted((span for span in trace.data.spans if span.parent_id == root.span_id), key=lambda span: span.start_time_ns)
    result.append({
        "requestId": trace.info.tags.get("llmops.request_id"),
        "model": trace.info.tags.get("llmops.model"),
        "root": root.name,
        "spans": [span.name for span in children],
        "tokenUsage": trace.info.token_usage,
        "eventTags": {k: v for k, v in mlflow.get_trace(trace.info.trace_id).info.tags.items() if k.startswith("llmops.event.")},
    })
print(json.dumps(result))
`;

interface SearchedTrace {
  requestId: string | null;
  model: string | null;
  root: string;
  spans: string[];
  tokenUsage: { input_tokens: number; output_tokens: number } | null;
  /** The request's monitoring event, appended to its trace as tags. */
  eventTags: Record<string, string>;
}

describe.each<MlflowBackend>(['sqlite', 'postgresql'])('llmops serve --store <MLflow on %s>', (backend) => {
  let server: MlflowServer;

  beforeAll(async () => {
    server = await startMlflowServer({ workspaceRoot, backend });
  }, 600_000);

  afterAll(async () => {
    await server?.stop();
  });

  it("leaves each answered request's trace in MLflow with its monitoring event as tags, where Python's mlflow finds it with its spans", async () => {
    const workdir = registeredWorkspace(server.trackingUri);
    const { child, url } = await startServing(
      ['--store', server.trackingUri, 'serve', '--port', '0', '--quiet'],
      workdir,
    );
    const exit = exited(child);
    let requestId: string | null;
    try {
      const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
      const { data: completion, response } = await client.chat.completions
        .create({
          model: 'kettle-help@champion',
          messages: [{ role: 'user', content: 'Is limescale damage covered?' }],
        })
        .withResponse();
      expect(completion.choices[0]?.message.content).toBe('Limescale damage is not covered [1].');
      requestId = response.headers.get('x-request-id');
    } finally {
      // SIGTERM drains the server, which writes the queued traces before it exits.
      child.kill('SIGTERM');
    }
    expect(await exit).toBe(0);
    const stdout = await runMlflowPython({
      workspaceRoot,
      code: pythonSearchesServedTraces,
      env: { MLFLOW_TRACKING_URI: server.trackingUri },
    });
    const lines = stdout.trim().split('\n');
    const traces = JSON.parse(lines[lines.length - 1] as string) as SearchedTrace[];
    expect(traces).toHaveLength(1);
    expect(traces[0]).toMatchObject({
      requestId,
      model: 'kettle-help/1',
      root: 'chat.completions kettle-help/1',
      spans: ['resolve', 'guard_input', 'retrieve', 'generate', 'guard_output'],
    });
    expect(traces[0]?.tokenUsage?.input_tokens).toBeGreaterThan(0);
    // The request's monitoring event is on its trace too (mlflow.get_trace(id).info.tags), never the question.
    const eventTags = traces[0]?.eventTags ?? {};
    expect(eventTags).toMatchObject({
      'llmops.event.status': '200',
      'llmops.event.completed': 'true',
      'llmops.event.refused': 'false',
      'llmops.event.input_tokens': String(traces[0]?.tokenUsage?.input_tokens),
    });
    expect(Number(eventTags['llmops.event.latency_ms'])).toBeGreaterThanOrEqual(0);
    expect(eventTags['llmops.event.question_hash']).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(eventTags['llmops.event.citations'])).toBeGreaterThan(0);
    expect(JSON.stringify(eventTags)).not.toContain('limescale');
    // The embedded reader does not pretend to read MLflow: it says where the traces are.
    const listed = runLlmops(['--store', server.trackingUri, 'traces', 'list'], { cwd: workdir });
    expect(listed.status).toBe(2);
    expect(listed.stderr).toContain('are in MLflow experiment llmops-serving at http://127.0.0.1:');
  }, 300_000);
});
