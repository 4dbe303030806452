import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { createClient } from 'redis';
import { startMlflowServer, startOtlpCollector } from '@llmops/mlflow-client/testing';
import type { MlflowServer, OtlpCollector } from '@llmops/mlflow-client/testing';
import { runLlmops } from './run-cli.js';
import { startNginx, startReplica } from './scale-out-topology.js';
import type { GroupChild, LoadBalancer, Replica } from './scale-out-topology.js';
import { registeredWorkspace } from './serving-workspace.js';

const workspaceRoot = join(__dirname, '..', '..', '..', '..');
/** The real Redis of the development machine and CI (`.ci/run` starts it). */
const redisUrl = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';

type ReplicaName = 'a' | 'b';

/** One answered request: which replica answered it (nginx's `x-test-upstream`) and its request id. */
interface Answered {
  replica: ReplicaName;
  requestId: string;
}

/** A trace as MLflow's REST API lists it (`POST /api/3.0/mlflow/traces/search`): only what the test reads. */
interface SearchedTraceInfo {
  trace_id: string;
  tags?: Record<string, string>;
}

/**
 * The production topology of wiki/Deployment.md, on loopback: MLflow on a fresh PostgreSQL database as the registry and
 * trace store, Redis for the response cache and the keys' limits, an OTLP/HTTP receiver standing in for a collector,
 * two `llmops serve` replicas (the built bin), and Debian's nginx in front of them. Every call goes through nginx with the official `openai` client or `fetch`; the
 * `x-test-replica` header pins a call to one replica where the story needs it.
 */
describe('scale-out: two llmops serve replicas behind nginx, on MLflow (PostgreSQL) and Redis', () => {
  // This run's own Redis keys, so runs sharing the machine's Redis never see each other's cache or counters.
  const namespace = `llmops-test:scale-out:${randomBytes(4).toString('hex')}:`;
  const started: GroupChild[] = [];
  const answered: Answered[] = [];
  let mlflow: MlflowServer | undefined;
  let collector: OtlpCollector | undefined;
  let workdir: string | undefined;
  let replicas: Record<ReplicaName, Replica>;
  let nginx: LoadBalancer;
  let adminKey: string;

  beforeAll(async () => {
    mlflow = await startMlflowServer({ workspaceRoot, backend: 'postgresql' });
    // kettle-help/1 registered and promoted to champion in MLflow by the CLI, before any replica runs.
    workdir = registeredWorkspace(mlflow.trackingUri);
    // API keys live in the workspace's .llmops/keys.db beside an MLflow store: both replicas run in this folder.
    const created = runLlmops(
      ['--json', '--store', mlflow.trackingUri, 'keys', 'create', '--role', 'admin', '--name', 'scale-out admin'],
      { cwd: workdir },
    );
    if (created.status !== 0) throw new Error(`llmops keys create exited with ${created.status}: ${created.stderr}`);
    adminKey = (JSON.parse(created.stdout) as { apiKey: string }).apiKey;
    // An OTLP/HTTP receiver standing in for a collector: every replica exports a copy of each trace to it.
    collector = await startOtlpCollector();
    const env = {
      LLMOPS_OTLP_ENDPOINT: collector.url,
      LLMOPS_OTLP_HEADERS: 'authorization=Bearer%20scale-out-collector',
      REDIS_URL: redisUrl,
      LLMOPS_CACHE_PREFIX: `${namespace}cache:`,
      LLMOPS_LIMITS_PREFIX: `${namespace}limits:`,
    };
    const args = ['--store', mlflow.trackingUri, 'serve', '--port', '0', '--quiet'];
    const cwd = workdir;
    const [a, b] = await Promise.allSettled([startReplica({ args, cwd, env }), startReplica({ args, cwd, env })]);
    for (const replica of [a, b]) if (replica.status === 'fulfilled') started.push(replica.value);
    if (a.status === 'rejected') throw a.reason;
    if (b.status === 'rejected') throw b.reason;
    replicas = { a: a.value, b: b.value };
    nginx = await startNginx({ replicas: { a: replicas.a.url, b: replicas.b.url } });
    started.push(nginx);
  }, 600_000);

  afterAll(async () => {
    // Each child is stopped by its process group, SIGKILL after a grace period: teardown cannot hang on one of them.
    await Promise.allSettled(started.map((child) => child.stop(20_000)));
    await collector?.close();
    await mlflow?.stop();
    if (workdir) rmSync(workdir, { recursive: true, force: true });
    const client = createClient({ url: redisUrl });
    await client.connect();
    try {
      const keys: string[] = [];
      for await (const batch of client.scanIterator({ MATCH: `${namespace}*`, COUNT: 500 })) keys.push(...batch);
      if (keys.length > 0) await client.del(keys);
    } finally {
      await client.close();
    }
  }, 180_000);

  /** The replica whose address nginx put in `x-test-upstream`. */
  const replicaOf = (headers: Headers): ReplicaName => {
    const upstream = headers.get('x-test-upstream');
    const name = (Object.keys(replicas) as ReplicaName[]).find((key) => new URL(replicas[key].url).host === upstream);
    if (!name) throw new Error(`nginx answered from ${upstream}, which is neither replica`);
    return name;
  };

  /** The official client through nginx, pinned to a replica when one is named. */
  const client = (replica?: ReplicaName, apiKey = adminKey) =>
    new OpenAI({
      baseURL: `${nginx.url}/v1`,
      apiKey,
      maxRetries: 0,
      defaultHeaders: replica ? { [nginx.pinHeader]: replica } : {},
    });

  /** Asks a question through nginx, remembers which replica answered it, and returns the answer and headers. */
  const ask = async (options: { model: string; question: string; replica?: ReplicaName; apiKey?: string }) => {
    const { data, response } = await client(options.replica, options.apiKey)
      .chat.completions.create({ model: options.model, messages: [{ role: 'user', content: options.question }] })
      .withResponse();
    const replica = replicaOf(response.headers);
    if (options.replica) expect(replica).toBe(options.replica);
    answered.push({ replica, requestId: response.headers.get('x-request-id') as string });
    return { content: data.choices[0]?.message.content, headers: response.headers, replica };
  };

  /** Admin calls to the REST API through nginx, pinned to a replica. */
  const admin = (replica: ReplicaName) => {
    const headers = { authorization: `Bearer ${adminKey}`, [nginx.pinHeader]: replica };
    return {
      get: (path: string) => fetch(`${nginx.url}${path}`, { headers }),
      post: (path: string, body: unknown) =>
        fetch(`${nginx.url}${path}`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
    };
  };

  it('balances requests over both replicas and passes a stream through unbuffered', async () => {
    const questions = [
      'Is limescale damage covered?',
      'When does support answer?',
      'How long is the warranty on the heating element?',
      'Is support open on weekdays?',
    ];
    const answers = [];
    for (const question of questions) answers.push(await ask({ model: 'kettle-help@champion', question }));
    expect(answers[0]?.content).toBe('Limescale damage is not covered [1].');
    expect(new Set(answers.map((answer) => answer.replica))).toEqual(new Set(['a', 'b']));

    const { data: stream, response } = await client()
      .chat.completions.create({
        model: 'kettle-help@champion',
        messages: [{ role: 'user', content: 'When does support answer by chat?' }],
        stream: true,
      })
      .withResponse();
    const pieces: string[] = [];
    for await (const chunk of stream) pieces.push(chunk.choices[0]?.delta.content ?? '');
    expect(pieces.join('')).toContain('8:00 to 20:00');
    answered.push({ replica: replicaOf(response.headers), requestId: response.headers.get('x-request-id') as string });
  });

  it('serves a version registered and promoted through replica A from replica B', async () => {
    const before = await ask({ model: 'kettle-help@champion', question: 'Who answers support?', replica: 'b' });
    expect(before.headers.get('x-llmops-model-version')).toBe('kettle-help/1');

    const registered = await admin('a').post('/api/v1/models', {
      spec: {
        name: 'kettle-help',
        provider: 'offline/extractive',
        pipeline: { kind: 'rag', prompt: 'answer', corpus: 'kb', retrieval: { k: 2 }, tokenBudget: 400 },
      },
    });
    expect(`${registered.status} ${await registered.text()}`).toMatch(/^201 .*"version":2/);
    const promoted = await admin('a').post('/api/v1/models/kettle-help/promote', {
      version: 2,
      force: true,
      reason: 'scale-out test: promoted through replica A',
    });
    expect(`${promoted.status} ${await promoted.text()}`).toMatch(/^200 /);

    // Replica B has never seen version 2: it reads it from MLflow.
    const pinned = await ask({ model: 'kettle-help/2', question: 'Is limescale damage covered?', replica: 'b' });
    expect(pinned.headers.get('x-llmops-model-version')).toBe('kettle-help/2');
    // B may answer from its short cache of references (wiki/Registry.md) for a few seconds; then the new champion.
    let served: string | null = null;
    for (let attempt = 0; attempt < 60 && served !== 'kettle-help/2'; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 500));
      const answer = await ask({
        model: 'kettle-help@champion',
        question: `Who answers support? (${attempt})`,
        replica: 'b',
      });
      served = answer.headers.get('x-llmops-model-version');
    }
    expect(served).toBe('kettle-help/2');
    const listed = (await (await admin('b').get('/api/v1/models/kettle-help')).json()) as unknown;
    expect(JSON.stringify(listed)).toMatch(/"champion":2\b/);
  });

  it('shares the response cache through Redis: a miss on replica A is a hit on replica B', async () => {
    const question = 'Does the warranty cover limescale on the heating element?';
    const miss = await ask({ model: 'kettle-help@champion', question, replica: 'a' });
    expect(miss.headers.get('x-llmops-cache')).toBe('miss');
    const hit = await ask({ model: 'kettle-help@champion', question, replica: 'b' });
    expect(hit.headers.get('x-llmops-cache')).toBe('hit');
    expect(hit.content).toBe(miss.content);
  });

  it("counts a key's requests per minute across both replicas: the third request is refused wherever it lands", async () => {
    const created = await admin('a').post('/api/v1/keys', {
      name: 'scale-out limited',
      role: 'inference',
      limits: { rpm: 2 },
    });
    expect(created.status).toBe(201);
    const { apiKey } = (await created.json()) as { apiKey: string };
    // Counted per replica, A and B would each admit two; shared in Redis, the key has two in all.
    const question = 'Is limescale damage covered?';
    await ask({ model: 'kettle-help@champion', question, replica: 'a', apiKey });
    await ask({ model: 'kettle-help@champion', question, replica: 'b', apiKey });
    for (const replica of ['a', 'b'] as const) {
      const refused = await client(replica, apiKey)
        .chat.completions.create({ model: 'kettle-help@champion', messages: [{ role: 'user', content: question }] })
        .then(
          () => undefined,
          (error: unknown) => error as InstanceType<typeof OpenAI.APIError>,
        );
      expect(refused?.status).toBe(429);
      expect(refused?.code).toBe('rate_limit_exceeded');
      expect(refused?.message).toContain('requests per minute');
      expect(replicaOf(refused?.headers as Headers)).toBe(replica);
    }
  });

  it('drains both replicas on SIGTERM, and every answered request of both has its trace in MLflow and the collector', async () => {
    expect(new Set(answered.map((entry) => entry.replica))).toEqual(new Set(['a', 'b']));
    // SIGTERM drains: in-flight requests finish and queued traces are written before the process ends.
    expect(await Promise.all([replicas.a.stop(60_000), replicas.b.stop(60_000)])).toEqual([0, 0]);

    const tracking = (mlflow as MlflowServer).trackingUri;
    const experiment = (await (
      await fetch(`${tracking}/api/2.0/mlflow/experiments/get-by-name?experiment_name=llmops-serving`)
    ).json()) as { experiment: { experiment_id: string } };
    const requestIds = new Set<string>();
    let pageToken: string | undefined;
    do {
      const response = await fetch(`${tracking}/api/3.0/mlflow/traces/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          locations: [
            { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: experiment.experiment.experiment_id } },
          ],
          max_results: 100,
          ...(pageToken ? { page_token: pageToken } : {}),
        }),
      });
      expect(response.status).toBe(200);
      const page = (await response.json()) as { traces?: SearchedTraceInfo[]; next_page_token?: string };
      for (const trace of page.traces ?? []) {
        const requestId = trace.tags?.['llmops.request_id'];
        if (requestId) requestIds.add(requestId);
      }
      pageToken = page.next_page_token || undefined;
    } while (pageToken);
    for (const replica of ['a', 'b'] as const) {
      const ids = answered.filter((entry) => entry.replica === replica).map((entry) => entry.requestId);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.filter((id) => !requestIds.has(id))).toEqual([]);
    }

    // The collector got a copy of the same traces from both replicas, with the configured header.
    const received = collector as OtlpCollector;
    const exported = new Set(
      received
        .spans()
        .filter((span) => span.parentSpanId === undefined)
        .map((span) => span.attributes['llmops.request_id']),
    );
    expect(answered.map((entry) => entry.requestId).filter((id) => !exported.has(id))).toEqual([]);
    expect(new Set(received.received.map((entry) => entry.headers['authorization']))).toEqual(
      new Set(['Bearer scale-out-collector']),
    );
  });
});
