import { modelListSchema } from './model-list-schema.js';

describe('modelListSchema', () => {
  it('accepts an OpenAI model list, keeping extension fields', () => {
    const body = {
      object: 'list',
      data: [
        {
          id: 'support-bot@champion',
          object: 'model',
          created: 1_700_000_000,
          owned_by: 'llmops',
          llmops: { version: 3 },
        },
      ],
    };
    expect(modelListSchema.parse(body)).toEqual(body);
  });

  it('rejects entries without the fields OpenAI requires', () => {
    expect(
      modelListSchema.safeParse({ object: 'list', data: [{ id: 'x', object: 'model', owned_by: 'me' }] }).success,
    ).toBe(false);
    expect(modelListSchema.safeParse({ object: 'models', data: [] }).success).toBe(false);
    expect(
      modelListSchema.safeParse({ object: 'list', data: [{ id: 'x', object: 'model', created: 1.5, owned_by: 'me' }] })
        .success,
    ).toBe(false);
  });
});
