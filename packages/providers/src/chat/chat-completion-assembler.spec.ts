import type { ChatCompletionChunk } from '@llmops/kernel';
import { readSseFixture } from '../__fixtures__/read-fixture.js';
import { assembleChatCompletion, ChatCompletionAssembler } from './chat-completion-assembler.js';

function chunksOf(name: string): ChatCompletionChunk[] {
  return readSseFixture(name)
    .map((event) => event.replace(/^data: /, ''))
    .filter((data) => data !== '[DONE]')
    .map((data) => JSON.parse(data) as ChatCompletionChunk);
}

function chunk(choices: ChatCompletionChunk['choices'], extra: Partial<ChatCompletionChunk> = {}): ChatCompletionChunk {
  return { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices, ...extra };
}

describe('assembleChatCompletion', () => {
  it('assembles a text stream into the completion, with usage', () => {
    const completion = assembleChatCompletion(chunksOf('chat-stream.sse'));
    expect(completion).toMatchObject({
      id: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
      object: 'chat.completion',
      created: 1741570283,
      model: 'gpt-4o-mini-2024-07-18',
      system_fingerprint: 'fp_06737a9306',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Refunds are issued within 14 days [1].', refusal: null },
          finish_reason: 'stop',
        },
      ],
      usage: { total_tokens: 1351, prompt_tokens_details: { cached_tokens: 1024 } },
    });
  });

  it('assembles parallel tool calls from their deltas', () => {
    const { choices } = assembleChatCompletion(chunksOf('chat-stream-tool-calls.sse'));
    expect(choices[0]?.message.tool_calls).toEqual([
      {
        id: 'call_3Jq8pZ0nQ6yK2mV9tXwR1bLc',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
      },
      {
        id: 'call_8Hs2dL5vNp1QxC7zYt4Gk0Wm',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Tokyo","unit":"celsius"}' },
      },
    ]);
    expect(choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('separates calls that a server numbers all 0 but gives distinct ids', () => {
    const completion = assembleChatCompletion([
      chunk([
        {
          index: 0,
          delta: { tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } }] },
          finish_reason: null,
        },
      ]),
      chunk([
        {
          index: 0,
          delta: {
            tool_calls: [{ index: 0, id: 'b', type: 'function', function: { name: 'g', arguments: '{"x":1}' } }],
          },
          finish_reason: null,
        },
      ]),
    ]);
    expect(
      completion.choices[0]?.message.tool_calls?.map((call) => [call.id, call.function.name, call.function.arguments]),
    ).toEqual([
      ['a', 'f', '{}'],
      ['b', 'g', '{"x":1}'],
    ]);
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('keeps choices apart by index and takes id and model from the first chunk that has them', () => {
    const assembler = new ChatCompletionAssembler();
    assembler.add(chunk([], { id: '', model: '', created: 0 }));
    assembler.add(
      chunk([{ index: 1, delta: { content: 'B' }, finish_reason: 'stop' }], { id: 'chatcmpl-2', model: 'gpt-4o' }),
    );
    assembler.add(chunk([{ index: 0, delta: { content: 'A' }, finish_reason: 'length' }]));
    const completion = assembler.toCompletion();
    expect([completion.id, completion.model]).toEqual(['chatcmpl-2', 'gpt-4o']);
    expect(completion.choices.map((choice) => [choice.index, choice.message.content, choice.finish_reason])).toEqual([
      [0, 'A', 'length'],
      [1, 'B', 'stop'],
    ]);
  });

  it('refuses to assemble nothing', () => {
    expect(() => assembleChatCompletion([])).toThrow(/zero chunks/);
  });
});
