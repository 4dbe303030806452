import { chatCompletionChunkSchema, chatCompletionSchema, LlmopsError } from '@llmops/kernel';
import { parseChatCompletion, parseChatCompletionChunk } from './openai-wire-parsing.js';

const where = 'http://127.0.0.1:1/v1 (model stub)';

/** A fresh copy of a wire chunk, as `JSON.parse` hands one to the parser. */
function wire(chunk: object): unknown {
  return JSON.parse(JSON.stringify(chunk)) as unknown;
}

describe('parseChatCompletionChunk', () => {
  it('answers a text chunk as the schema would, with the fields other servers omit filled in', () => {
    const chunk = { id: 'c1', created: 7, model: 'm', choices: [{ index: 0, delta: { content: 'Hi' } }], extra: 1 };

    const parsed = parseChatCompletionChunk(wire(chunk), where);

    expect(parsed).toEqual({
      ...chunk,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null, logprobs: null }],
    });
    expect(chatCompletionChunkSchema.parse(parsed)).toEqual(parsed);
  });

  it('spells finish reasons the OpenAI way and keeps a plain usage chunk', () => {
    const finishing = parseChatCompletionChunk(wire({ choices: [{ delta: {}, finish_reason: 'end_turn' }] }), where);
    const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 };
    const last = parseChatCompletionChunk(wire({ id: 'c1', choices: [], usage }), where);

    expect(finishing).toMatchObject({ id: '', created: 0, model: '', choices: [{ index: 0, finish_reason: 'stop' }] });
    expect(last.usage).toEqual(usage);
  });

  it('leaves chunks outside the common shape to the schema: tool-call deltas and usage details parse', () => {
    const toolCall = { index: 0, id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{}' } };
    const parsed = parseChatCompletionChunk(
      wire({
        id: 'c2',
        created: 1,
        model: 'm',
        choices: [{ index: 0, delta: { tool_calls: [toolCall] }, finish_reason: 'tool_call' }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2, prompt_tokens_details: { cached_tokens: 1 } },
      }),
      where,
    );

    expect(parsed.choices[0]?.delta.tool_calls).toEqual([toolCall]);
    expect(parsed.choices[0]?.finish_reason).toBe('tool_calls');
    expect(parsed.usage?.prompt_tokens_details).toEqual({ cached_tokens: 1 });
  });

  it.each([
    ['a content that is not text', { choices: [{ index: 0, delta: { content: 42 } }] }, 'content'],
    ['an unknown finish reason', { choices: [{ index: 0, delta: {}, finish_reason: 'exploded' }] }, 'finish_reason'],
    [
      'a negative token count',
      { choices: [], usage: { prompt_tokens: -1, completion_tokens: 0, total_tokens: 0 } },
      'usage',
    ],
    ['choices that are not a list', { choices: 'none' }, 'choices'],
  ])('refuses %s with an upstream_error naming the field', (_, chunk, field) => {
    let thrown: unknown;
    try {
      parseChatCompletionChunk(wire(chunk), where);
    } catch (error) {
      thrown = error;
    }

    expect(LlmopsError.isInstance(thrown)).toBe(true);
    expect((thrown as LlmopsError).code).toBe('upstream_error');
    expect((thrown as LlmopsError).message).toContain(where);
    expect((thrown as LlmopsError).message).toContain(field);
  });
});

describe('parseChatCompletion', () => {
  const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 };

  it('answers a text completion as the schema would: omitted fields filled in, unknown fields kept', () => {
    const completion = {
      id: 'c1',
      created: 7,
      model: 'm',
      choices: [{ message: { content: 'Hi', annotations: [] }, finish_reason: 'end_turn', provider_score: 0.5 }],
      usage,
      service_tier: 'default',
    };

    const parsed = parseChatCompletion(wire(completion), where);

    expect(parsed).toEqual({
      ...completion,
      object: 'chat.completion',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hi', refusal: null, annotations: [] },
          finish_reason: 'stop',
          logprobs: null,
          provider_score: 0.5,
        },
      ],
    });
    expect(chatCompletionSchema.parse(parsed)).toEqual(parsed);
  });

  it('fills an empty envelope and a missing finish reason as the schema path does', () => {
    const parsed = parseChatCompletion(wire({ choices: [{ index: 1, message: { refusal: 'No.' } }] }), where);

    expect(parsed).toEqual({
      id: '',
      created: 0,
      model: '',
      object: 'chat.completion',
      choices: [
        {
          index: 1,
          message: { role: 'assistant', content: null, refusal: 'No.' },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
    });
  });

  it('leaves completions outside the common shape to the schema: tool calls and usage details parse', () => {
    const toolCall = { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{}' } };
    const parsed = parseChatCompletion(
      wire({
        id: 'c2',
        created: 1,
        model: 'm',
        choices: [{ index: 0, message: { content: null, tool_calls: [toolCall] }, finish_reason: 'tool_call' }],
        usage: { ...usage, prompt_tokens_details: { cached_tokens: 1 } },
      }),
      where,
    );

    expect(parsed.choices[0]?.message.tool_calls).toEqual([toolCall]);
    expect(parsed.choices[0]?.finish_reason).toBe('tool_calls');
    expect(parsed.usage?.prompt_tokens_details).toEqual({ cached_tokens: 1 });
  });

  it.each([
    ['a content that is not text', { choices: [{ message: { content: 42 } }] }, 'content'],
    [
      'an unknown finish reason',
      { choices: [{ message: { content: 'a' }, finish_reason: 'exploded' }] },
      'finish_reason',
    ],
    ['a null usage', { choices: [], usage: null }, 'usage'],
    ['an id that is not text', { id: 7, choices: [] }, 'id'],
    ['no choices', { id: 'c3' }, 'choices'],
  ])('refuses %s with an upstream_error naming the field', (_, completion, field) => {
    let thrown: unknown;
    try {
      parseChatCompletion(wire(completion), where);
    } catch (error) {
      thrown = error;
    }

    expect(LlmopsError.isInstance(thrown)).toBe(true);
    expect((thrown as LlmopsError).code).toBe('upstream_error');
    expect((thrown as LlmopsError).message).toContain(where);
    expect((thrown as LlmopsError).message).toContain(field);
  });
});
