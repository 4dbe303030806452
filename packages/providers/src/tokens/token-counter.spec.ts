import {
  countMessageTokens,
  countTokens,
  encodingForModel,
  messageTokensAtMost,
  truncateToTokens,
} from './token-counter.js';

describe('encodingForModel', () => {
  it('uses o200k_base for the modern families and as the fallback, cl100k_base for gpt-4 and gpt-3.5', () => {
    for (const model of ['gpt-4o', 'gpt-4o-mini', 'openai/gpt-4.1-nano', 'gpt-5-mini', 'o3', 'o4-mini', 'o1-preview']) {
      expect([model, encodingForModel(model)]).toEqual([model, 'o200k_base']);
    }
    for (const model of ['gpt-4', 'gpt-4-turbo', 'gpt-3.5-turbo', 'text-embedding-3-small']) {
      expect([model, encodingForModel(model)]).toEqual([model, 'cl100k_base']);
    }
    expect(encodingForModel(undefined)).toBe('o200k_base');
    expect(encodingForModel('meta-llama/Llama-3.1-8B-Instruct')).toBe('o200k_base');
  });
});

describe('countTokens', () => {
  it('counts with the encoding of the model', () => {
    expect(countTokens('Hello, world!')).toBe(4);
    expect(countTokens('')).toBe(0);
    // The two encodings split this text differently.
    const text = 'Ünïcödé and emoji 🚀🚀 tokenise differently across encodings.';
    expect(countTokens(text, 'gpt-4o')).not.toBe(countTokens(text, 'gpt-4'));
  });

  it('counts special-token markers in user text as plain text instead of throwing', () => {
    expect(countTokens('a <|endoftext|> b')).toBeGreaterThan(3);
  });

  it('truncates to a number of tokens', () => {
    const text = 'Refunds are issued within 14 days of receiving the returned item.';
    const cut = truncateToTokens(text, { maxTokens: 4 });
    expect(countTokens(cut)).toBe(4);
    expect(text.startsWith(cut)).toBe(true);
    expect(truncateToTokens(text, { maxTokens: 1000 })).toBe(text);
  });
});

describe('countMessageTokens', () => {
  it("follows OpenAI's count: 3 per message + role + content (+1 and the name), 3 to prime the reply", () => {
    const messages = [
      { role: 'system' as const, content: 'You are helpful.' },
      { role: 'user' as const, content: 'Hello, world!', name: 'ada' },
    ];
    const expected =
      3 +
      (3 + countTokens('system') + countTokens('You are helpful.')) +
      (3 + countTokens('user') + countTokens('Hello, world!') + 1 + countTokens('ada'));
    expect(countMessageTokens(messages)).toBe(expected);
    expect(countMessageTokens([])).toBe(3);
  });

  it('counts text parts and tool calls', () => {
    const withParts = countMessageTokens([{ role: 'user', content: [{ type: 'text', text: 'Hello, world!' }] }]);
    expect(withParts).toBe(countMessageTokens([{ role: 'user', content: 'Hello, world!' }]));
    const call = countMessageTokens([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        ],
      },
    ]);
    expect(call).toBe(3 + 3 + countTokens('assistant') + countTokens('get_weather') + countTokens('{"city":"Paris"}'));
  });
});

describe('messageTokensAtMost', () => {
  it('never counts fewer tokens than the tokenizer, for plain, accented, CJK, emoji and tool-call messages', () => {
    const conversations = [
      [{ role: 'user' as const, content: 'How long do refunds take?' }],
      [
        { role: 'system' as const, content: 'Réponds en français, s’il te plaît.' },
        { role: 'user' as const, content: '退款需要多长时间？🙂🙂', name: 'ada' },
      ],
      [
        {
          role: 'assistant' as const,
          content: null,
          tool_calls: [{ id: 'c1', type: 'function' as const, function: { name: 'lookup', arguments: '{"q":"x"}' } }],
        },
      ],
      [{ role: 'user' as const, content: 'aaaa '.repeat(500) }],
    ];
    for (const messages of conversations) {
      expect(messageTokensAtMost(messages)).toBeGreaterThanOrEqual(countMessageTokens(messages));
      expect(messageTokensAtMost(messages)).toBeGreaterThanOrEqual(countMessageTokens(messages, 'gpt-4'));
    }
    expect(messageTokensAtMost([])).toBe(3);
  });
});
