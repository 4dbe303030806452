import { LlmopsError } from '@llmops/kernel';
import { OpenAiCompatibleChatModel } from '@llmops/providers';
import { startOpenAiWireServer } from '@llmops/providers/testing';
import type { OpenAiWireServer, WireReply } from '@llmops/providers/testing';
import { metricTestContext } from '../../testing/metric-test-context.js';
import { answerCorrectness } from '../../domain/metrics/answer-correctness.js';
import { hallucination } from '../../domain/metrics/hallucination.js';
import { LlmJudge } from './llm-judge.js';

function completion(content: string): WireReply {
  return {
    kind: 'json',
    body: {
      id: 'chatcmpl-judge',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'judge-model',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 },
    },
  };
}

describe('LlmJudge against a real OpenAI-compatible server', () => {
  let server: OpenAiWireServer;
  let judge: LlmJudge;
  const path = '/v1/chat/completions';

  beforeEach(async () => {
    server = await startOpenAiWireServer();
    judge = new LlmJudge(
      new OpenAiCompatibleChatModel('judge-model', { baseURL: server.baseUrl, retry: { policy: { maxAttempts: 1 } } }),
    );
  });
  afterEach(async () => server.close());

  it('asks with a strict JSON schema at temperature 0 and reads the verdicts', async () => {
    server.reply(
      path,
      completion(
        '{"verdicts":[{"verdict":"yes","reason":"states the refund delay"},{"verdict":"no","reason":"about dark mode"}]}',
      ),
    );
    const { verdicts } = await judge.judge({
      kind: 'relevance',
      input: 'How long do refunds take?',
      statements: ['Refunds take 5 days.', 'Dark mode exists.'],
    });
    expect(verdicts).toEqual([
      { statement: 'Refunds take 5 days.', verdict: 'yes', reason: 'states the refund delay' },
      { statement: 'Dark mode exists.', verdict: 'no', reason: 'about dark mode' },
    ]);
    const body = server.requestsTo(path)[0]?.body as Record<string, unknown>;
    expect(body['temperature']).toBe(0);
    expect(body['response_format']).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'relevance_verdicts', strict: true },
    });
    expect(JSON.stringify(body['messages'])).toContain(
      '<statements>\\n1. Refunds take 5 days.\\n2. Dark mode exists.\\n</statements>',
    );
  });

  it('asks again when the output is not JSON or has the wrong number of verdicts, then succeeds', async () => {
    server.reply(
      path,
      completion('Sure! Here are my verdicts: yes, no'),
      completion('{"verdicts":[{"verdict":"yes","reason":"ok"}]}'),
      completion('{"verdicts":[{"verdict":"yes","reason":"a"},{"verdict":"idk","reason":"b"}]}'),
    );
    const { verdicts } = await judge.judge({ kind: 'support', contexts: ['ctx'], claims: ['one', 'two'] });
    expect(verdicts.map((verdict) => verdict.verdict)).toEqual(['yes', 'idk']);
    expect(server.requestsTo(path)).toHaveLength(3);
  });

  it('fails with upstream_error after maxAttempts invalid outputs, saying what was wrong', async () => {
    server.reply(path, completion('{"harmful": "maybe", "category": null, "reason": "?"}'));
    const error = await judge.judge({ kind: 'harm', input: 'x', output: 'y' }).catch((thrown: unknown) => thrown);
    expect(LlmopsError.isInstance(error) && error.code).toBe('upstream_error');
    expect((error as Error).message).toBe(
      'judge openai/judge-model gave invalid output for a harm task 3 time(s); last: does not match the harm schema: harmful: Invalid input: expected boolean, received string',
    );
    expect(server.requestsTo(path)).toHaveLength(3);
  });

  it('does not re-ask when the model call itself fails (the provider already retried)', async () => {
    server.reply(path, {
      kind: 'json',
      status: 500,
      body: { error: { message: 'boom', type: 'server_error', code: null, param: null } },
    });
    const error = await judge.judge({ kind: 'refusal', input: 'x', output: 'y' }).catch((thrown: unknown) => thrown);
    expect(LlmopsError.isInstance(error) && error.code).toBe('upstream_error');
    expect((error as Error).message).toMatch(/^judge openai\/judge-model: /);
    expect(server.requestsTo(path)).toHaveLength(1);
  });

  it('asks for one yes-or-no contradiction verdict per context, and refuses an idk (DeepEval hallucination)', async () => {
    server.reply(
      path,
      completion('{"verdicts":[{"verdict":"idk","reason":"unsure"},{"verdict":"no","reason":"x"}]}'),
      completion(
        '{"verdicts":[{"verdict":"yes","reason":"agrees"},{"verdict":"no","reason":"the context says 5 days, not 10"}]}',
      ),
    );
    const { verdicts } = await judge.judge({
      kind: 'contradiction',
      output: 'Refunds take 10 days.',
      contexts: ['Refunds go to the original card.', 'Refunds take 5 days.'],
    });
    expect(verdicts).toEqual([
      { statement: 'Refunds go to the original card.', verdict: 'yes', reason: 'agrees' },
      { statement: 'Refunds take 5 days.', verdict: 'no', reason: 'the context says 5 days, not 10' },
    ]);
    const body = server.requestsTo(path)[1]?.body as Record<string, unknown>;
    expect(body['response_format']).toMatchObject({
      type: 'json_schema',
      json_schema: {
        name: 'contradiction_verdicts',
        strict: true,
        schema: { properties: { verdicts: { items: { properties: { verdict: { enum: ['yes', 'no'] } } } } } },
      },
    });
    expect(JSON.stringify(body['messages'])).toContain(
      '<contexts>\\n1. Refunds go to the original card.\\n2. Refunds take 5 days.\\n</contexts>',
    );
  });

  it('scores hallucination through the LLM judge: contradicted reference contexts over all of them', async () => {
    server.reply(
      path,
      completion('{"refused":false,"reason":"answers"}'),
      completion(
        '{"verdicts":[{"verdict":"no","reason":"5 days, not 10"},{"verdict":"yes","reason":"agrees"},{"verdict":"yes","reason":"agrees"}]}',
      ),
    );
    const scored = await hallucination.score(
      metricTestContext({
        judge,
        example: { input: 'How long do refunds take?', reference_contexts: ['Refunds take 5 days.', 'b', 'c'] },
        answer: { output: 'Refunds take 10 days.' },
      }),
    );
    expect(scored.score).toBeCloseTo(1 / 3, 12);
    expect(scored.reason).toBe(
      'the output contradicts 1 of 3 reference contexts: "Refunds take 5 days." (5 days, not 10)',
    );
  });

  it("scores answer correctness through the LLM judge with Ragas's formula: 0.75 × factual F1 + 0.25 × similarity", async () => {
    server.reply(
      path,
      completion(
        JSON.stringify({
          answer_statements: [
            { statement: 'Einstein was born in Spain.', verdict: 'no', reason: 'the reference says Germany' },
            { statement: 'Einstein was born in 1879.', verdict: 'yes', reason: 'the reference says 1879' },
          ],
          reference_statements: [
            { statement: 'Einstein was born in 1879.', verdict: 'yes', reason: 'the answer says 1879' },
            { statement: 'Einstein was born in Germany.', verdict: 'no', reason: 'the answer says Spain' },
          ],
        }),
      ),
    );
    const embedder = {
      provider: 'fixed',
      modelId: 'cosine-0.8',
      embed: async () => ({
        embeddings: [
          [1, 0],
          [0.8, 0.6],
        ],
        usage: { prompt_tokens: 0, total_tokens: 0 },
      }),
    };
    const scored = await answerCorrectness.score(
      metricTestContext({
        judge,
        embedder,
        example: {
          input: 'Where and when was Einstein born?',
          expected_output: 'Einstein was born in 1879 in Germany.',
        },
        answer: { output: 'Einstein was born in Spain in 1879.' },
      }),
    );
    // TP 1, FP 1, FN 1: factual F1 = 1 / (1 + 0.5 × 2) = 0.5; 0.75 × 0.5 + 0.25 × 0.8 = 0.575
    expect(scored.score).toBeCloseTo(0.575, 12);
    expect(scored.reason).toMatch(
      /^Ragas answer correctness: 0\.75 × factual F1 0\.500 \(statements: TP 1, FP 1, FN 1\) \+ 0\.25 × similarity 0\.800 \(fixed\/cosine-0\.8\); not supported by the expected output: "Einstein was born in Spain\." \(the reference says Germany\); missing from the output: "Einstein was born in Germany\." \(the answer says Spain\)$/,
    );
    const body = server.requestsTo(path)[0]?.body as Record<string, unknown>;
    expect(body['response_format']).toMatchObject({
      json_schema: { name: 'correctness_classification', strict: true },
    });
    expect(JSON.stringify(body['messages'])).toContain(
      '<reference>\\nEinstein was born in 1879 in Germany.\\n</reference>',
    );
  });

  it('names itself after the model and versions its fingerprint with the prompts', () => {
    expect(judge.name).toBe('openai/judge-model');
    expect(judge.fingerprint).toBe('llm:openai/judge-model llmops-judge-prompts@3');
  });
});
