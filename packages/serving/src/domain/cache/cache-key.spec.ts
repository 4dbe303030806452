import { cacheKeysOf, canonicalJson } from './cache-key.js';
import type { CacheKeyInput } from './cache-key.js';

const model = { name: 'support-bot', version: 3, params: { temperature: 0 } };
const question = { role: 'user' as const, content: 'How do I get a refund?' };

const keyOf = (overrides: Omit<Partial<CacheKeyInput>, 'request'> & { request?: Record<string, unknown> } = {}) =>
  cacheKeysOf({
    model,
    ...overrides,
    request: { messages: [question], ...overrides.request },
  } as CacheKeyInput).exact;

describe('canonicalJson', () => {
  it('sorts keys at every depth and leaves out undefined and null fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: null, y: 'x' }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":"x"}]},"b":1}',
    );
  });
});

describe('cacheKeysOf', () => {
  it('names the namespace and the version in the key, before a SHA-256 of the rest', () => {
    expect(keyOf()).toMatch(/^default:support-bot\/3:[0-9a-f]{64}$/);
    expect(keyOf({ namespace: 'tenant-a' })).toMatch(/^tenant-a:support-bot\/3:[0-9a-f]{64}$/);
  });

  it('gives requests that differ only in form the same key', () => {
    const base = keyOf();
    // Key order, null versus absent, text parts versus a string, the caller's `user`, a param the spec already sets.
    expect(
      keyOf({
        request: {
          messages: [
            {
              content: [
                { type: 'text', text: 'How do I get a ' },
                { type: 'text', text: 'refund?' },
              ],
              role: 'user',
            },
          ],
          user: 'someone',
          stop: null,
          temperature: 0,
        },
      }),
    ).toBe(base);
  });

  it('changes with everything that changes an answer', () => {
    const base = keyOf();
    const variants = [
      keyOf({ model: { ...model, version: 4 } }),
      keyOf({ model: { ...model, name: 'other-bot' } }),
      keyOf({ namespace: 'tenant-a' }),
      keyOf({ request: { messages: [{ role: 'user', content: 'How do I get a refund? ' }] } }),
      keyOf({ request: { messages: [{ role: 'system', content: 'Be brief.' }, question] } }),
      keyOf({ request: { temperature: 0.7 } }),
      keyOf({ request: { top_p: 0.5 } }),
      keyOf({ request: { max_tokens: 20 } }),
      keyOf({ request: { seed: 7 } }),
      keyOf({ request: { stop: ['\n'] } }),
      keyOf({ request: { response_format: { type: 'json_object' } } }),
      keyOf({ request: { tools: [{ type: 'function', function: { name: 'lookup' } }] } }),
      keyOf({ request: { variables: { product: 'kettle' } } }),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it('marks single-turn requests, whose context key leaves the question out', () => {
    const one = cacheKeysOf({ model, request: { messages: [{ role: 'system', content: 'Be brief.' }, question] } });
    const other = cacheKeysOf({
      model,
      request: {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Where is my parcel?' },
        ],
      },
    });
    expect(one.singleTurn?.question).toBe('How do I get a refund?');
    expect(one.singleTurn?.contextKey).toBe(other.singleTurn?.contextKey);
    expect(one.exact).not.toBe(other.exact);
    const otherSystem = cacheKeysOf({
      model,
      request: { messages: [{ role: 'system', content: 'Be long.' }, question] },
    });
    expect(otherSystem.singleTurn?.contextKey).not.toBe(one.singleTurn?.contextKey);
    const multiTurn = cacheKeysOf({
      model,
      request: { messages: [question, { role: 'assistant', content: 'Sure.' }, { role: 'user', content: 'And?' }] },
    });
    expect(multiTurn.singleTurn).toBeUndefined();
  });

  it('keys an embeddings call apart from a chat answer of the same texts, and by the dimensions it asks for', () => {
    const chat = keyOf();
    const embedding = keyOf({ embedding: {} });
    expect(embedding).toMatch(/^default:support-bot\/3:[0-9a-f]{64}$/);
    expect(embedding).not.toBe(chat);
    expect(keyOf({ embedding: { dimensions: 256 } })).not.toBe(embedding);
    expect(keyOf({ embedding: { dimensions: 256 } })).toBe(keyOf({ embedding: { dimensions: 256 } }));
  });
});
