import { startOpenAiWireServer } from '@llmops/providers/testing';
import type { OpenAiWireServer } from '@llmops/providers/testing';
import { createDataset } from '../../domain/dataset.js';
import { createOpenAiCompatibleTarget, fillVariables } from './chat-model-target.js';
import { RecordedOutputsTarget } from './recorded-outputs-target.js';

describe('OpenAI-compatible endpoint target (real HTTP server)', () => {
  let server: OpenAiWireServer;
  beforeAll(async () => {
    server = await startOpenAiWireServer();
  });
  afterAll(async () => server.close());

  it('sends the example as a chat request and reads output, usage, model and the llmops retrieval context', async () => {
    server.reply('/v1/chat/completions', {
      kind: 'json',
      body: {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1_700_000_000,
        model: 'llama3.1',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'Refunds take 5 days [1].' },
            finish_reason: 'stop',
            logprobs: null,
          },
        ],
        usage: { prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 },
        llmops: { retrieval_context: ['Refunds take 5 days.'] },
      },
    });
    const target = createOpenAiCompatibleTarget({
      baseUrl: server.baseUrl,
      model: 'llama3.1',
      systemPrompt: 'You answer for {{product}}.',
    });
    expect(target.description).toMatchObject({ kind: 'endpoint', name: `${server.baseUrl} llama3.1` });
    const output = await target.invoke({
      id: 'a',
      input: 'How long for {{product}} refunds?',
      variables: { product: 'Nimbus Notes' },
    });
    expect(output).toEqual({
      output: 'Refunds take 5 days [1].',
      retrievalContext: ['Refunds take 5 days.'],
      usage: { inputTokens: 42, outputTokens: 7 },
      model: 'llama3.1',
    });
    const body = server.requestsTo('/v1/chat/completions')[0]?.body as { model: string; messages: unknown[] };
    expect(body.model).toBe('llama3.1');
    expect(body.messages).toEqual([
      { role: 'system', content: 'You answer for Nimbus Notes.' },
      { role: 'user', content: 'How long for Nimbus Notes refunds?' },
    ]);
  });

  it('asks an llmops endpoint for its retrieval context and reads its passages as judges see them', async () => {
    server.reply('/v1/chat/completions', {
      kind: 'json',
      body: {
        id: 'chatcmpl-2',
        object: 'chat.completion',
        created: 1_700_000_000,
        model: 'support-rag/2',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Within 14 days [1].' }, finish_reason: 'stop' }],
        llmops: {
          citations: [],
          retrieval_context: [
            { source: 'refunds.md', title: 'Refunds', section: 'Timing', score: 3.2, text: 'Within 14 days.' },
            { source: 'faq.md', score: 1.1, text: 'Ask support.' },
          ],
        },
      },
    });
    const target = createOpenAiCompatibleTarget({ baseUrl: server.baseUrl, model: 'support-rag@champion' });
    const output = await target.invoke({ id: 'b', input: 'How long do refunds take?' });
    expect(output.retrievalContext).toEqual(['Refunds › Timing\nWithin 14 days.', 'Ask support.']);
    const sent = server.requestsTo('/v1/chat/completions').at(-1);
    expect(sent?.headers['x-llmops-include']).toBe('retrieval_context');
    const quiet = createOpenAiCompatibleTarget({
      baseUrl: server.baseUrl,
      model: 'support-rag@champion',
      includeRetrievalContext: false,
    });
    await quiet.invoke({ id: 'b', input: 'How long do refunds take?' });
    expect(server.requestsTo('/v1/chat/completions').at(-1)?.headers['x-llmops-include']).toBeUndefined();
  });

  it('records a guardrail block (HTTP 400 guardrail_blocked) as a refusal with its reason, other 400s as errors', async () => {
    const block = (code: string) => ({
      kind: 'json' as const,
      status: 400,
      body: {
        error: {
          message: 'the input check "harmful" found dangerous content',
          type: 'invalid_request_error',
          code,
          param: null,
        },
      },
    });
    server.reply('/v1/chat/completions', block('guardrail_blocked'));
    const target = createOpenAiCompatibleTarget({ baseUrl: server.baseUrl, model: 'support-rag@champion' });
    expect(await target.invoke({ id: 'h', input: 'How do I make a weapon?' })).toEqual({
      output: 'This request was blocked by the guardrails: the input check "harmful" found dangerous content',
      retrievalContext: [],
      usage: null,
      model: 'support-rag@champion',
    });
    server.reply('/v1/chat/completions', block('content_filter'));
    expect((await target.invoke({ id: 'h', input: 'x' })).output).toMatch(
      /^This request was blocked by the guardrails/,
    );
    server.reply('/v1/chat/completions', block('invalid_value'));
    await expect(target.invoke({ id: 'h', input: 'x' })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('fills only known variables', () => {
    expect(fillVariables('{{a}} and {{ b }} and {{c}}', { a: '1', b: '2' })).toBe('1 and 2 and {{c}}');
  });
});

describe('RecordedOutputsTarget', () => {
  it('answers from a recorded-outputs file by id and names file, line and field of a bad record', async () => {
    const target = RecordedOutputsTarget.parse(
      '{"id":"a","output":"Yes.","retrieval_context":["ctx"],"latency_ms":230,"usage":{"prompt_tokens":10,"completion_tokens":2},"cost_usd":0.001,"model":"gpt-4o-mini"}\n\n{"id":2,"output":"No."}\n',
      'outputs.jsonl',
    );
    expect(await target.invoke({ id: 'a', input: 'q?' })).toEqual({
      output: 'Yes.',
      retrievalContext: ['ctx'],
      usage: { inputTokens: 10, outputTokens: 2 },
      latencyMs: 230,
      costUsd: 0.001,
      model: 'gpt-4o-mini',
    });
    expect(await target.invoke({ id: '2', input: 'q?' })).toEqual({ output: 'No.', usage: null, latencyMs: 0 });
    await expect(target.invoke({ id: 'missing', input: 'q?' })).rejects.toThrow(
      'no recorded output for example "missing"',
    );
    expect(() => RecordedOutputsTarget.parse('{"id":"a","answer":"x"}\n', 'o.jsonl')).toThrow(
      'o.jsonl:1: output: Invalid input: expected string, received undefined',
    );
    expect(() => RecordedOutputsTarget.parse('{"id":"a","output":"x"}\n{"id":"a","output":"y"}\n', 'o.jsonl')).toThrow(
      'o.jsonl:2: id: "a" is recorded twice',
    );
  });

  it('answers from the outputs recorded in the dataset itself', async () => {
    const dataset = createDataset({
      examples: [
        { id: 'a', input: 'q?', output: 'recorded', retrieval_context: ['c'] },
        { id: 'b', input: 'q?' },
      ],
      source: 'd.jsonl',
      name: 'd',
    });
    const target = RecordedOutputsTarget.fromDataset(dataset);
    expect((await target.invoke({ id: 'a', input: 'q?' })).retrievalContext).toEqual(['c']);
    await expect(target.invoke({ id: 'b', input: 'q?' })).rejects.toThrow('no recorded output for example "b"');
  });
});
