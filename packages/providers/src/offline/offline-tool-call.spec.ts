import type { ChatModelRequest, Tool } from '@llmops/kernel';
import { OfflineExtractiveChatModel } from './offline-extractive-chat-model.js';

const tool = (name: string, parameter: string): Tool => ({
  type: 'function',
  function: { name, parameters: { type: 'object', properties: { [parameter]: { type: 'string' } } } },
});
const tools = [tool('search_kb', 'query'), tool('calc', 'expression')];
const model = new OfflineExtractiveChatModel();

async function reply(request: ChatModelRequest) {
  const completion = await model.generate(request);
  return completion.choices[0]!;
}

describe('offline/extractive with tools', () => {
  it('calls the calculator for arithmetic and the search tool for anything else', async () => {
    const arithmetic = await reply({ messages: [{ role: 'user', content: 'What is (12 * 7) / 3?' }], tools });
    expect(arithmetic.finish_reason).toBe('tool_calls');
    expect(arithmetic.message.tool_calls?.[0]?.function).toEqual({
      name: 'calc',
      arguments: '{"expression":"(12 * 7) / 3"}',
    });
    const question = await reply({ messages: [{ role: 'user', content: 'How long do refunds take?' }], tools });
    expect(question.message.tool_calls?.[0]?.function).toEqual({
      name: 'search_kb',
      arguments: '{"query":"How long do refunds take?"}',
    });
    expect(
      (await reply({ messages: [{ role: 'user', content: 'Hi' }], tools, tool_choice: 'none' })).message.tool_calls,
    ).toBeUndefined();
  });

  it('answers from the tool results: extractively from passages, else the result itself', async () => {
    const call = { id: 'c1', type: 'function' as const, function: { name: 'search_kb', arguments: '{}' } };
    const fromPassages = await reply({
      tools,
      messages: [
        { role: 'user', content: 'How long do refunds take?' },
        { role: 'assistant', content: null, tool_calls: [call] },
        {
          role: 'tool',
          tool_call_id: 'c1',
          content: '[1] (Refunds; source: refunds.md) Refunds are issued within 14 days of the return.',
        },
      ],
    });
    expect(fromPassages.message.content).toBe('Refunds are issued within 14 days of the return [1].');
    const fromCalculator = await reply({
      tools,
      messages: [
        { role: 'user', content: 'What is 12 * 7?' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: 'c1', content: '12 * 7 = 84' },
      ],
    });
    expect(fromCalculator.message.content).toBe('12 * 7 = 84');
    expect(fromCalculator.finish_reason).toBe('stop');
  });
});
