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
