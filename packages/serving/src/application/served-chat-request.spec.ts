import { servedChatRequestSchema, splitServedRequest } from './served-chat-request.js';
import { toModelList } from './models-list.js';
import { modelListSchema } from '@llmops/kernel';

describe('served chat requests', () => {
  it('splits routing, transport and pipeline parts, keeping prompt variables', () => {
    const parsed = servedChatRequestSchema.parse({
      model: 'support-rag@champion',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0,
      llmops: { variables: { customer: 'Ada' } },
    });
    expect(splitServedRequest(parsed)).toEqual({
      reference: 'support-rag@champion',
      stream: true,
      includeUsage: true,
      request: { messages: [{ role: 'user', content: 'hi' }], temperature: 0, variables: { customer: 'Ada' } },
    });
  });

  it('rejects unknown fields in the llmops extension and bad variables', () => {
    expect(
      servedChatRequestSchema.safeParse({
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
        llmops: { variable: {} },
      }).success,
    ).toBe(false);
    expect(
      servedChatRequestSchema.safeParse({
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
        llmops: { variables: { a: 1 } },
      }).success,
    ).toBe(false);
  });
});

describe('toModelList', () => {
  it('lists each model and each alias as an OpenAI model, sorted', () => {
    const list = toModelList([
      { name: 'writer', latestVersion: 1, aliases: {}, createdAt: 1_700_000_000_000 },
      { name: 'support-rag', latestVersion: 2, aliases: { challenger: 2, champion: 1 }, createdAt: 1_700_000_500_000 },
    ]);
    expect(modelListSchema.parse(list)).toEqual(list);
    expect(list.data.map((model) => [model.id, model['llmops']])).toEqual([
      ['support-rag', { name: 'support-rag', version: 2 }],
      ['support-rag@challenger', { name: 'support-rag', version: 2 }],
      ['support-rag@champion', { name: 'support-rag', version: 1 }],
      ['writer', { name: 'writer', version: 1 }],
    ]);
    expect(list.data[0]).toMatchObject({ object: 'model', created: 1_700_000_500, owned_by: 'llmops' });
  });
});
