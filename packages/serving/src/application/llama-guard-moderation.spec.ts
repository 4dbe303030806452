import { LlmopsError } from '@llmops/kernel';
import { ProviderCredentials } from '@llmops/kernel';
import { createProviderRegistry } from '@llmops/providers';
import type { ProviderRegistry } from '@llmops/providers';
import { completionReply, startOpenAiWireServer } from '@llmops/providers/testing';
import type { OpenAiWireServer, WireReply } from '@llmops/providers/testing';
import { GuardrailPolicies } from '../domain/guardrails/guardrail-policies.js';
import { guardrailPolicySchema } from '../domain/guardrails/guardrail-policy.js';
import { InMemoryModelResolver } from '../testing/in-memory-model-resolver.js';
import { servableModelFromSpec } from '../testing/servable-model-from-spec.js';
import type { PipelineTrace } from './pipeline.js';
import { PipelineFactory } from './pipeline-factory.js';
import { ServingService } from './serving-service.js';

/** The stub guard's `/completions` answer, in Llama Guard's output format. */
function guardSays(text: string, extra: { delayMs?: number } = {}): WireReply {
  return {
    kind: 'json',
    body: { id: 'cmpl-guard', object: 'text_completion', choices: [{ index: 0, text, finish_reason: 'stop' }] },
    ...extra,
  };
}

const guardFailure: WireReply = {
  kind: 'json',
  status: 500,
  body: { error: { message: 'engine dead', type: 'server_error', param: null, code: null } },
};

interface GuardSetup {
  onUnavailable?: 'block' | 'allow';
  timeoutMs?: number;
  /** The guard's key variable and the server's environment (default: a key declared for the guard's host). */
  key?: { apiKeyEnv: string; env: Record<string, string> };
  /** The provider registry whose pools the model and the guard call on. */
  providers?: ProviderRegistry;
}

function setup(server: OpenAiWireServer, guard: GuardSetup = {}) {
  const key = guard.key ?? {
    apiKeyEnv: 'LLMOPS_PROVIDER_KEY_GUARD',
    env: {
      LLMOPS_PROVIDER_KEY_GUARD: 'sk-guard-never-logged',
      LLMOPS_PROVIDER_KEY_GUARD_HOSTS: new URL(server.baseUrl).host,
    },
  };
  const policy = guardrailPolicySchema.parse({
    input: { moderation: {} },
    output: { moderation: {} },
    moderation: {
      kind: 'llama_guard',
      baseUrl: server.baseUrl,
      model: 'meta-llama/Llama-Guard-3-8B',
      apiKeyEnv: key.apiKeyEnv,
      timeoutMs: guard.timeoutMs ?? 2_000,
      ...(guard.onUnavailable ? { onUnavailable: guard.onUnavailable } : {}),
    },
  });
  const factory = new PipelineFactory({
    guardrails: new GuardrailPolicies({ guarded: policy }),
    env: key.env,
    circuitBreaker: false,
    ...(guard.providers ? { providers: guard.providers } : {}),
  });
  const resolver = new InMemoryModelResolver().add(
    servableModelFromSpec(
      {
        name: 'support-bot',
        provider: { provider: 'openai', model: 'upstream-model', baseUrl: server.baseUrl },
        pipeline: { kind: 'chat', prompt: 'unpinned' },
        guardrails: 'guarded',
      },
      { version: 1 },
    ),
    { aliases: ['champion'] },
  );
  const traces: PipelineTrace[] = [];
  const serving = new ServingService({ resolver, factory, traceSink: { record: (trace) => traces.push(trace) } });
  return { serving, traces };
}

/** The upstream's answer streamed word by word, as OpenAI's server-sent events. */
function streamedAnswer(text: string): WireReply {
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({
      id: 'chatcmpl-upstream',
      object: 'chat.completion.chunk',
      created: 1_700_000_000,
      model: 'upstream-model',
      choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    })}`;
  const words = text.match(/\S+\s*/g) ?? [];
  return {
    kind: 'sse',
    events: [
      chunk({ role: 'assistant', content: '' }, null),
      ...words.map((word) => chunk({ content: word }, null)),
      chunk({}, 'stop'),
      'data: [DONE]',
    ],
  };
}

const request = { messages: [{ role: 'user' as const, content: 'How long does the kettle take to boil?' }] };

function spanAttributes(trace: PipelineTrace | undefined, name: string) {
  return trace?.spans.find((span) => span.name === name)?.attributes;
}

async function failure(promise: Promise<unknown>): Promise<LlmopsError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!LlmopsError.isInstance(error)) throw new Error(`expected an LlmopsError, got ${String(error)}`);
  return error;
}

describe('a guardrail policy with a Llama Guard model (stub guard on loopback)', () => {
  let server: OpenAiWireServer;
  beforeEach(async () => {
    server = await startOpenAiWireServer();
    server.reply('/v1/chat/completions', completionReply('About four minutes for a full kettle.'));
  });
  afterEach(async () => {
    await server.close();
  });

  it('calls the guard on the provider registry’s pool, with the model, the key only on the guard’s calls', async () => {
    server.reply('/v1/completions', guardSays('safe'));
    const env = {
      LLMOPS_PROVIDER_KEY_GUARD: 'sk-guard-never-logged',
      LLMOPS_PROVIDER_KEY_GUARD_HOSTS: new URL(server.baseUrl).host,
    };
    const providers = createProviderRegistry({ credentials: ProviderCredentials.from({ env }) });
    try {
      const { serving } = setup(server, { providers, key: { apiKeyEnv: 'LLMOPS_PROVIDER_KEY_GUARD', env } });
      await serving.complete('support-bot@champion', request);

      // Guard (question), model, guard (answer): one origin, one pool, its connections kept alive.
      expect(server.requests.map((each) => [each.path, each.headers.authorization])).toEqual([
        ['/v1/completions', 'Bearer sk-guard-never-logged'],
        ['/v1/chat/completions', undefined],
        ['/v1/completions', 'Bearer sk-guard-never-logged'],
      ]);
      expect(server.requests.every((each) => each.headers.connection !== 'close')).toBe(true);
      expect(providers.pools.origins()).toEqual([new URL(server.baseUrl).origin]);
      expect(server.openConnections).toBeGreaterThan(0);
    } finally {
      await providers.close();
    }
    const deadline = Date.now() + 1_000;
    while (server.openConnections > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(server.openConnections).toBe(0);
  });

  it('asks the guard about the question and about the answer, and traces both verdicts', async () => {
    server.reply('/v1/completions', guardSays('safe'));
    const { serving, traces } = setup(server);
    const { completion } = await serving.complete('support-bot@champion', request);
    expect(completion.choices[0]?.message.content).toBe('About four minutes for a full kettle.');
    const prompts = server
      .requestsTo('/v1/completions')
      .map((recorded) => (recorded.body as { prompt: string }).prompt);
    expect(prompts).toHaveLength(2);
    expect(prompts[0]).toContain('User: How long does the kettle take to boil?\n\n<END CONVERSATION>');
    expect(prompts[1]).toContain(
      'User: How long does the kettle take to boil?\n\nAgent: About four minutes for a full kettle.',
    );
    expect(server.requestsTo('/v1/completions')[0]?.headers['authorization']).toBe('Bearer sk-guard-never-logged');
    for (const span of ['guard_input', 'guard_output']) {
      expect(spanAttributes(traces[0], span)).toMatchObject({
        'moderation.verdict': 'safe',
        'moderation.ms': expect.any(Number),
        blocked: 0,
      });
    }
    expect(JSON.stringify(traces)).not.toContain('sk-guard-never-logged');
  });

  it('blocks an unsafe question with the taxonomy categories of its hazards, before the model is called', async () => {
    server.reply('/v1/completions', guardSays('unsafe\nS1,S10'));
    const { serving, traces } = setup(server);
    const error = await failure(serving.complete('support-bot@champion', request));
    expect([error.code, error.message]).toEqual([
      'guardrail_blocked',
      'the request was blocked by guardrail policy "guarded": the input check "moderation" found violence, hate_harassment',
    ]);
    expect(server.requestsTo('/v1/chat/completions')).toHaveLength(0);
    expect(traces[0]?.guardrails[0]?.findings.map((finding) => finding.rule)).toEqual([
      'llama_guard.S1',
      'llama_guard.S10',
    ]);
    expect(spanAttributes(traces[0], 'guard_input')).toMatchObject({
      'moderation.verdict': 'unsafe',
      'moderation.categories': 'violence,hate_harassment',
      'moderation.rules': 'llama_guard.S1,llama_guard.S10',
      blocked: 1,
    });
  });

  it('blocks an unsafe answer (output stage), streamed too', async () => {
    server.reply('/v1/completions', guardSays('safe'), guardSays('unsafe\nS9'));
    const { serving } = setup(server);
    const error = await failure(serving.complete('support-bot@champion', request));
    expect(error.message).toMatch(/the output check "moderation" found dangerous$/);

    server.reply('/v1/chat/completions', streamedAnswer('About four minutes for a full kettle.'));
    server.reply('/v1/completions', guardSays('safe'), guardSays('unsafe\nS9'));
    const streamed = await serving.stream('support-bot@champion', request);
    const texts: string[] = [];
    const streamError = await failure(
      (async () => {
        for await (const chunk of streamed.chunks) texts.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    );
    expect(streamError.code).toBe('guardrail_blocked');
    expect(texts.join('')).not.toContain('four minutes');
  });

  it.each([
    {
      cause: 'a malformed answer',
      replies: [guardSays('I think this is fine.')],
      code: 'upstream_error',
      timeoutMs: 5_000,
    },
    {
      cause: 'HTTP 500 (retried once)',
      replies: [guardFailure, guardFailure],
      code: 'upstream_error',
      timeoutMs: 5_000,
    },
    {
      cause: 'no answer within the timeout',
      replies: [guardSays('safe', { delayMs: 3_000 })],
      code: 'timeout',
      timeoutMs: 200,
    },
  ])(
    'fails closed by default on $cause: blocked as guard_unavailable, and says why',
    async ({ replies, code, timeoutMs }) => {
      server.reply('/v1/completions', ...replies);
      const { serving, traces } = setup(server, { timeoutMs });
      const error = await failure(serving.complete('support-bot@champion', request));
      expect([error.code, error.message]).toEqual([
        'guardrail_blocked',
        'the request was blocked by guardrail policy "guarded": the input check "moderation" found guard_unavailable',
      ]);
      expect(traces[0]?.guardrails[0]).toMatchObject({
        outcome: 'blocked',
        unavailable: code,
        findings: [{ category: 'guard_unavailable', rule: `moderation.${code}` }],
      });
      expect(spanAttributes(traces[0], 'guard_input')).toMatchObject({
        'moderation.verdict': 'unavailable',
        'moderation.error': code,
      });
      expect(server.requestsTo('/v1/chat/completions')).toHaveLength(0);
    },
  );

  it.each([
    { what: 'a deployment variable (the admin token)', apiKeyEnv: 'LLMOPS_ADMIN_TOKEN', hosts: undefined },
    { what: 'a key declared for another host', apiKeyEnv: 'LLMOPS_PROVIDER_KEY_GUARD', hosts: 'guard.example.com' },
  ])('never sends $what to the guard: the policy is refused before any call', async ({ apiKeyEnv, hosts }) => {
    server.reply('/v1/completions', guardSays('safe'));
    const env: Record<string, string> = { [apiKeyEnv]: 'secret-never-sent' };
    if (hosts) env[`${apiKeyEnv}_HOSTS`] = hosts;
    const { serving } = setup(server, { key: { apiKeyEnv, env } });
    const error = await failure(serving.complete('support-bot@champion', request));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('moderation.apiKeyEnv');
    expect(error.message).not.toContain('secret-never-sent');
    expect(server.requestsTo('/v1/completions')).toHaveLength(0);
    expect(server.requestsTo('/v1/chat/completions')).toHaveLength(0);
  });

  it('fails open when the policy says so: the answer goes out, the failure is flagged', async () => {
    server.reply('/v1/completions', guardFailure);
    const { serving, traces } = setup(server, { onUnavailable: 'allow' });
    const { completion } = await serving.complete('support-bot@champion', request);
    expect(completion.choices[0]?.message.content).toBe('About four minutes for a full kettle.');
    expect(traces[0]?.guardrails.map((verdict) => [verdict.stage, verdict.outcome, verdict.unavailable])).toEqual([
      ['input', 'flagged', 'upstream_error'],
      ['output', 'flagged', 'upstream_error'],
    ]);
  });
});
