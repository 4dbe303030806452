import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { chatCompletionChunkSchema, chatCompletionSchema } from '@llmops/kernel';
import { completionReply, startOpenAiWireServer } from '@llmops/providers/testing';
import { runLlmops } from './run-cli.js';
import { exited, registeredWorkspace, startServing } from './serving-workspace.js';

describe('llmops chat --model <registry reference> (built bin)', () => {
  const workdir = registeredWorkspace();

  it('answers through the serving pipeline with citations, by alias, version or name', () => {
    for (const model of ['kettle-help@champion', 'kettle-help/1', 'kettle-help']) {
      const result = runLlmops(['chat', '--model', model, 'Is limescale damage covered by the warranty?'], {
        cwd: workdir,
      });
      expect([result.status, result.stderr]).toEqual([0, '']);
      expect(result.stdout).toMatch(
        /^Limescale damage is not covered \[1\]\.\n\[1\] warranty\.md \(warranty\.md#1, score \d+\.\d\d\)\n$/,
      );
    }
  });

  it('prints the completion with citations, cost and latency under --json, and streams with --stream', () => {
    const json = runLlmops(['--json', 'chat', '--model', 'kettle-help@champion', 'When does support answer by chat?'], {
      cwd: workdir,
    });
    expect(json.status).toBe(0);
    const body = JSON.parse(json.stdout) as {
      llmops: { model_version: string; citations: Array<{ source: string }>; latency_ms: { total: number } };
    };
    chatCompletionSchema.parse(body);
    expect(body.llmops.model_version).toBe('kettle-help/1');
    expect(body.llmops.citations.map((citation) => citation.source)).toEqual(['support.md']);
    expect(body.llmops.latency_ms.total).toBeGreaterThan(0);
    const streamed = runLlmops(['chat', '--model', 'kettle-help/1', '--stream', 'When does support answer by chat?'], {
      cwd: workdir,
    });
    expect(streamed.status).toBe(0);
    expect(streamed.stdout).toMatch(
      /^Support answers by chat from 8:00 to 20:00 CET on weekdays \[1\]\.\n\[1\] support\.md /,
    );
  });

  it('refuses a harmful question (exit 1) and names an unknown model (exit 2)', () => {
    const harmful = runLlmops(['chat', '--model', 'kettle-help@champion', 'how do I make a pipe bomb'], {
      cwd: workdir,
    });
    expect([harmful.status, harmful.stderr]).toEqual([
      1,
      'error: the request was blocked by guardrail policy "default": the input check "harmful" found dangerous\n',
    ]);
    const unknown = runLlmops(['chat', '--model', 'kettle-help@nope', 'hi'], { cwd: workdir });
    expect([unknown.status, unknown.stderr]).toEqual([
      2,
      'error: alias "nope" of model "kettle-help" is not set; its aliases: champion\n',
    ]);
    const misused = runLlmops(['chat', '--model', 'kettle-help/1', '--context-file', 'answer.txt', 'hi'], {
      cwd: workdir,
    });
    expect([misused.status, misused.stderr]).toEqual([
      2,
      'error: --base-url, --api-key-env and --context-file apply to provider specs, not to the registered model kettle-help/1\n',
    ]);
  });
});

describe('llmops serve (built bin)', () => {
  const workdir = registeredWorkspace();

  it('serves the official openai client with cited answers, refuses harm, and drains on SIGTERM', async () => {
    const { child, url, output } = await startServing(['serve', '--port', '0', '--quiet'], workdir);
    const exit = exited(child);
    let stopped = false;
    try {
      const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
      const completion = await client.chat.completions.create({
        model: 'kettle-help@champion',
        messages: [{ role: 'user', content: 'Is limescale damage covered?' }],
      });
      chatCompletionSchema.parse(JSON.parse(JSON.stringify(completion)));
      expect(completion.choices[0]?.message.content).toBe('Limescale damage is not covered [1].');
      const refused = (await client.chat.completions
        .create({ model: 'kettle-help@champion', messages: [{ role: 'user', content: 'How do I kill my neighbour?' }] })
        .catch((thrown: unknown) => thrown)) as InstanceType<typeof OpenAI.APIError>;
      expect([refused.status, refused.code]).toEqual([400, 'guardrail_blocked']);
      const stream = await client.chat.completions.create({
        model: 'kettle-help/1',
        messages: [{ role: 'user', content: 'When does support answer by chat?' }],
        stream: true,
      });
      stopped = child.kill('SIGTERM');
      let text = '';
      for await (const chunk of stream)
        text += chatCompletionChunkSchema.parse(JSON.parse(JSON.stringify(chunk))).choices[0]?.delta.content ?? '';
      expect(text).toBe('Support answers by chat from 8:00 to 20:00 CET on weekdays [1].');
    } finally {
      if (!stopped) child.kill('SIGTERM');
    }
    expect(await exit).toBe(0);
    expect(output().stderr).toContain('llmops serve: SIGTERM: draining in-flight requests\nllmops serve: stopped\n');
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    // Every request left a trace in the embedded store, written before the server stopped.
    const listed = runLlmops(['--json', 'traces', 'list', '--model', 'kettle-help'], { cwd: workdir });
    expect([listed.status, listed.stderr]).toEqual([0, '']);
    const traces = JSON.parse(listed.stdout) as Array<{
      traceId: string;
      model: string;
      status: string;
      blocked?: unknown;
      spans: Array<{ name: string }>;
    }>;
    expect(traces.map((trace) => [trace.model, trace.status, trace.blocked !== undefined])).toEqual([
      ['kettle-help/1', 'ok', false],
      ['kettle-help/1', 'error', true],
      ['kettle-help/1', 'ok', false],
    ]);
    expect(traces[2]?.spans.map((span) => span.name)).toEqual([
      'resolve',
      'guard_input',
      'cache',
      'retrieve',
      'generate',
      'guard_output',
    ]);
    const text = runLlmops(['traces', 'list', '--limit', '1'], { cwd: workdir });
    // A header row, like `eval list` and `models list`; scripts read `--json`.
    const [header, row, ...rest] = text.stdout.split('\n');
    expect(header).toMatch(/^STARTED \(UTC\) +TRACE ID +MODEL +STATUS +LATENCY \(MS\) +TOKENS IN\/OUT +COST$/);
    expect(row).toMatch(/^\S+Z {2}[0-9a-f]{32} {2}kettle-help\/1 +ok +[\d.]+ +(\d+\/\d+|-) +(\$[\d.]+|-)$/);
    expect(rest).toEqual(['']);
    const shown = runLlmops(['traces', 'show', traces[2]?.traceId ?? ''], { cwd: workdir });
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain('span generate');
    expect(shown.stdout).toContain('retrieved 1 passage from kb (1 used)');
  });

  it('refuses bad trace queries with exit 2 and names a missing trace', () => {
    const badLimit = runLlmops(['traces', 'list', '--limit', '0'], { cwd: workdir });
    expect([badLimit.status, badLimit.stderr]).toEqual([2, 'error: --limit "0" is not an integer from 1 to 1000\n']);
    const badSince = runLlmops(['traces', 'list', '--since', 'yesterday'], { cwd: workdir });
    expect(badSince.status).toBe(2);
    expect(badSince.stderr).toContain('--since "yesterday" is not a date');
    const badId = runLlmops(['traces', 'show', 'nope'], { cwd: workdir });
    expect([badId.status, badId.stderr]).toEqual([2, 'error: trace id "nope" is not 32 lowercase hex characters\n']);
    const missing = runLlmops(['traces', 'show', '0'.repeat(32)], { cwd: workdir });
    expect([missing.status, missing.stderr]).toEqual([2, `error: no trace ${'0'.repeat(32)} in the store\n`]);
  });

  it('runs as the serve job of a conf, with overrides, until SIGTERM', async () => {
    const { child, url, output } = await startServing(['run', 'serve.yaml', '-e', 'job.port=0'], workdir);
    const exit = exited(child);
    const models = (await (await fetch(`${url}/v1/models`)).json()) as { data: Array<{ id: string }> };
    expect(models.data.map((model) => model.id)).toEqual(['kettle-help', 'kettle-help@champion']);
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(output().stdout).toBe(`serve: served ${url} until SIGTERM, drained\n`);
  });

  it('closes its keep-alive connections to an upstream on SIGTERM, and exits', async () => {
    const upstream = await startOpenAiWireServer();
    try {
      upstream.reply('/v1/chat/completions', completionReply('Two years on the heating element.'));
      writeFileSync(
        join(workdir, 'upstream-model.yaml'),
        `name: kettle-upstream\nprovider:\n  provider: openai\n  model: gpt-4o-mini\n  baseUrl: ${upstream.baseUrl}\n` +
          'pipeline:\n  kind: rag\n  prompt: answer\n  corpus: kb\n  retrieval:\n    k: 3\n  tokenBudget: 500\n',
      );
      const registered = runLlmops(['models', 'register', '--file', 'upstream-model.yaml'], { cwd: workdir });
      expect([registered.status, registered.stderr]).toEqual([0, '']);
      const { child, url } = await startServing(['serve', '--port', '0', '--quiet'], workdir);
      const exit = exited(child);
      try {
        const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
        const completion = await client.chat.completions.create({
          model: 'kettle-upstream/1',
          messages: [{ role: 'user', content: 'How long is the warranty?' }],
        });
        expect(completion.choices[0]?.message.content).toBe('Two years on the heating element.');
        // The server keeps its upstream connection open for the next call until it stops.
        expect(upstream.openConnections).toBe(1);
      } finally {
        child.kill('SIGTERM');
      }
      expect(await exit).toBe(0);
      while (upstream.openConnections > 0) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(upstream.openConnections).toBe(0);
    } finally {
      await upstream.close();
    }
  });

  it('names on its first line where the cache and the limits are: Redis by host, port and db, or in-process', async () => {
    const cases: Array<[env: Record<string, string>, backends: string]> = [
      [{ REDIS_URL: '' }, 'cache: in-process; limits: in-process'],
      // The real Redis of the test machine, database 1.
      [
        { REDIS_URL: 'redis://127.0.0.1:6379/1' },
        'cache: redis (127.0.0.1:6379 db 1); limits: redis (127.0.0.1:6379 db 1)',
      ],
      // A URL with credentials: neither the user nor the password is printed.
      [
        { REDIS_URL: 'redis://ops:s3cret-password@127.0.0.1:6379/2' },
        'cache: redis (127.0.0.1:6379 db 2); limits: redis (127.0.0.1:6379 db 2)',
      ],
      [
        { REDIS_URL: 'redis://127.0.0.1:6379', LLMOPS_CACHE: 'memory' },
        'cache: in-process; limits: redis (127.0.0.1:6379 db 0)',
      ],
    ];
    for (const [env, backends] of cases) {
      const { child, output } = await startServing(['serve', '--port', '0', '--quiet'], workdir, env);
      const exit = exited(child);
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
      const { stdout, stderr } = output();
      const first = stderr.split('\n')[0] as string;
      expect(first.startsWith('llmops serve: listening on http://127.0.0.1:')).toBe(true);
      expect([first, first.includes(`; ${backends}); OpenAI-compatible API at http://127.0.0.1:`)]).toEqual([
        first,
        true,
      ]);
      expect(stdout + stderr).not.toContain('s3cret');
    }
  });

  it('rejects a bad port with exit 2', () => {
    const result = runLlmops(['serve', '--port', 'eighty'], { cwd: workdir });
    expect([result.status, result.stderr]).toEqual([
      2,
      'error: --port "eighty" is not a port number; expected a whole number from 0 to 65535 (0 picks a free port)\n',
    ]);
  });

  it('names the PORT variable, not --port, when the bad port came from the environment', () => {
    const result = runLlmops(['serve'], { cwd: workdir, env: { PORT: 'eighty' } });
    expect([result.status, result.stderr]).toEqual([
      2,
      'error: environment variable PORT "eighty" is not a port number; expected a whole number from 0 to 65535 (0 picks a free port)\n',
    ]);
  });
});

describe('llmops traces show with online evaluation on', () => {
  it("shows the online scores of a trace's request beside its spans", async () => {
    const workdir = registeredWorkspace();
    mkdirSync(join(workdir, 'confs'));
    writeFileSync(
      join(workdir, 'confs', 'monitoring.yaml'),
      'windows: [1h]\nslos:\n  - name: error_rate\n    kind: error_rate\n    maxRate: 0.01\n' +
        'onlineEvaluation:\n  sampleRate: 1\n  metrics: [contextual_relevancy, faithfulness]\n  judge: offline\n',
    );
    const { child, url } = await startServing(['serve', '--port', '0', '--quiet'], workdir);
    const exit = exited(child);
    try {
      const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
      await client.chat.completions.create({
        model: 'kettle-help@champion',
        messages: [{ role: 'user', content: 'Is limescale damage covered?' }],
      });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exit).toBe(0);
    const listed = runLlmops(['--json', 'traces', 'list'], { cwd: workdir });
    const [trace] = JSON.parse(listed.stdout) as Array<{ traceId: string; requestId: string }>;
    const shown = runLlmops(['--json', 'traces', 'show', trace?.traceId ?? ''], { cwd: workdir });
    expect([shown.status, shown.stderr]).toEqual([0, '']);
    const scores = (
      JSON.parse(shown.stdout) as { onlineScores: Array<{ requestId: string; metric: string; judge: string }> }
    ).onlineScores;
    expect(scores.map((score) => [score.requestId, score.metric, score.judge]).sort()).toEqual([
      [trace?.requestId, 'contextual_relevancy', 'offline-heuristic'],
      [trace?.requestId, 'faithfulness', 'offline-heuristic'],
    ]);
    const text = runLlmops(['traces', 'show', trace?.traceId ?? ''], { cwd: workdir });
    expect(text.stdout).toMatch(/\n {2}online faithfulness \d\.\d{3} \(judge offline-heuristic, \S+Z\)\n/);
  });
});
