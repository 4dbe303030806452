import { mkdirSync, writeFileSync } from 'node:fs';
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
        "assessments": sorted(
            [a.name, a.value, a.source.source_type, a.source.source_id, a.metadata.get("llmops.request_id")]
            for a in mlflow.get_trace(trace.info.trace_id).info.assessments
        ),
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
  /** Its online evaluation scores, as feedback assessments: name, value, source type, source id, request id. */
  assessments: [string, number, string, string, string | null][];
}

/** Online evaluation of every request with the offline judge, so each trace gets its scores as assessments. */
const monitoringConf = `windows: [1h]
slos:
  - name: error_rate
    kind: error_rate
    maxRate: 0.01
onlineEvaluation:
  sampleRate: 1
  metrics: [contextual_relevancy, faithfulness]
  judge: offline
`;

describe.each<MlflowBackend>(['sqlite', 'postgresql'])('llmops serve --store <MLflow on %s>', (backend) => {
  let server: MlflowServer;

  beforeAll(async () => {
    server = await startMlflowServer({ workspaceRoot, backend });
  }, 600_000);

  afterAll(async () => {
    await server?.stop();
  });

  it("leaves each answered request's trace in MLflow with its monitoring event as tags and its online scores as assessments, where Python's mlflow and llmops traces find it with its spans", async () => {
    const workdir = registeredWorkspace(server.trackingUri);
    mkdirSync(join(workdir, 'confs'));
    writeFileSync(join(workdir, 'confs', 'monitoring.yaml'), monitoringConf);
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
    });
    // Spans are timed to the millisecond, so steps that start within the same one (the cache lookup and the retrieval
    // did in CI) come back from MLflow in either order: the set of spans is compared here, their order in the
    // recorder's unit tests.
    expect([...(traces[0]?.spans ?? [])].sort()).toEqual([
      'cache',
      'generate',
      'guard_input',
      'guard_output',
      'resolve',
      'retrieve',
    ]);
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
    // Its online evaluation scores are on it as feedback from code (the offline judge), named by metric.
    const assessments = traces[0]?.assessments ?? [];
    expect(assessments.map(([name, , type, source, request]) => [name, type, source, request])).toEqual([
      ['contextual_relevancy', 'CODE', 'offline-heuristic', requestId],
      ['faithfulness', 'CODE', 'offline-heuristic', requestId],
    ]);
    for (const [, value] of assessments) expect(value).toBeGreaterThanOrEqual(0);
    // llmops reads the same trace back from MLflow: listed with its version and tokens, shown with its spans and the
    // request's online scores; the question never went to MLflow.
    const listed = runLlmops(['--json', '--store', server.trackingUri, 'traces', 'list'], { cwd: workdir });
    expect(listed.status).toBe(0);
    const [summary] = JSON.parse(listed.stdout) as Array<{ traceId: string; requestId: string; model: string }>;
    expect(summary).toMatchObject({
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
      requestId,
      model: 'kettle-help/1',
    });
    const shown = runLlmops(['--store', server.trackingUri, 'traces', 'show', summary?.traceId ?? ''], {
      cwd: workdir,
    });
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain('kettle-help/1  ok');
    expect(shown.stdout).toMatch(/span retrieve .* ok/);
    expect(shown.stdout).toMatch(/online contextual_relevancy \d/);
    const record = runLlmops(['--json', '--store', server.trackingUri, 'traces', 'show', summary?.traceId ?? ''], {
      cwd: workdir,
    });
    expect(record.status).toBe(0);
    expect(record.stdout).toContain('"onlineScores"');
    expect(record.stdout).not.toContain('Is limescale damage covered?');
  }, 300_000);
});
