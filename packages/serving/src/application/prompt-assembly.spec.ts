import { assembleMessages, defaultRagInstructions } from './prompt-assembly.js';

const context = 'Context:\n[1] (source: refunds.md) Refunds take 14 days.';
const conversation = [
  { role: 'user' as const, content: 'Hello' },
  { role: 'assistant' as const, content: 'Hi! How can I help?' },
  { role: 'user' as const, content: 'How long do refunds take?' },
];

describe('assembleMessages', () => {
  it('sends the conversation as it is for a chat pipeline without prompt', () => {
    expect(assembleMessages({ messages: conversation, variables: {} })).toEqual(conversation);
  });

  it('puts the default RAG instructions with the context first', () => {
    const [system, ...rest] = assembleMessages({ messages: conversation, variables: {}, context });
    expect(system).toEqual({ role: 'system', content: defaultRagInstructions.replace('{{context}}', context) });
    expect(rest).toEqual(conversation);
  });

  it('appends the context to a text prompt that does not place it', () => {
    const [system] = assembleMessages({
      prompt: { reference: 'p/1', template: 'Help {{customer}}.' },
      messages: conversation,
      variables: { customer: 'Ada' },
      context,
    });
    expect(system?.content).toBe(`Help Ada.\n\n${context}`);
  });

  it('lets chat-message prompts with {{question}} replace the last user message', () => {
    const messages = assembleMessages({
      prompt: {
        reference: 'grounded/2',
        template: [
          { role: 'system', content: 'Answer from the passages.' },
          { role: 'user', content: '{{context}}\n\nQuestion: {{question}}' },
        ],
      },
      messages: conversation,
      variables: {},
      context,
    });
    expect(messages).toEqual([
      conversation[0],
      conversation[1],
      { role: 'system', content: 'Answer from the passages.' },
      { role: 'user', content: `${context}\n\nQuestion: How long do refunds take?` },
    ]);
  });

  it('adds the context to the first system message of chat-message prompts without {{context}}', () => {
    const messages = assembleMessages({
      prompt: { reference: 'p/3', template: [{ role: 'system', content: 'Be brief.' }] },
      messages: conversation.slice(2),
      variables: {},
      context,
    });
    expect(messages).toEqual([{ role: 'system', content: `Be brief.\n\n${context}` }, conversation[2]]);
  });
});
