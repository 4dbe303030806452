import { LlmopsError } from '@llmops/kernel';
import { OpenAiCompatibleChatModel } from '@llmops/providers';
import { startOpenAiWireServer } from '@llmops/providers/testing';
import type { OpenAiWireServer, WireReply } from '@llmops/providers/testing';
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

  it('names itself after the model and versions its fingerprint with the prompts', () => {
    expect(judge.name).toBe('openai/judge-model');
    expect(judge.fingerprint).toBe('llm:openai/judge-model llmops-judge-prompts@2');
  });
});
