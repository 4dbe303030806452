import fc from 'fast-check';
import { errorResponseSchema } from '@llmops/kernel';
import { kettleAdminHeaders, servedKettleHelp } from '../__fixtures__/kettle-workspace.js';
import type { RunningLlmopsServer } from './llmops-server.js';

/**
 * Every request body the API parses (chat completions, embeddings, evaluations, keys) answers either a success or a
 * 4xx in OpenAI's error shape whose message says what is wrong: bodies are valid ones with a field removed, replaced by
 * any JSON value, or joined by an unknown key, and any JSON value at all. Never a 5xx, never a stack trace.
 */
const validBodies: Record<string, Record<string, unknown>> = {
  '/v1/chat/completions': {
    model: 'kettle-help@champion',
    messages: [{ role: 'user', content: 'How long is the warranty?' }],
    max_tokens: 50,
  },
  '/v1/embeddings': { model: 'offline/lexical', input: ['warranty', 'support hours'] },
  '/api/v1/evaluations': {
    model: 'kettle-help@champion',
    dataset: { name: 'property', examples: [{ id: '1', input: 'How long is the warranty?' }] },
    metrics: ['faithfulness'],
  },
  '/api/v1/keys': { name: 'property-key', role: 'inference' },
};

const anyJson = fc.jsonValue({ maxDepth: 3 });
/** A valid body changed in one place, or any JSON value. */
function body(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const fields = Object.keys(valid);
  return fc.oneof(
    fc
      .constantFrom(...fields)
      .map((field) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== field))),
    fc.tuple(fc.constantFrom(...fields), anyJson).map(([field, value]) => ({ ...valid, [field]: value })),
    fc
      .tuple(fc.string({ minLength: 1, maxLength: 12 }), anyJson)
      .filter(([key]) => !Object.hasOwn(valid, key))
      .map(([key, value]) => ({ ...valid, [key]: value })),
    anyJson,
  );
}

describe('request bodies of the API (fast-check, real HTTP)', () => {
  let running: RunningLlmopsServer;
  beforeAll(async () => {
    ({ running } = await servedKettleHelp({ prefix: 'llmops-bodies-' }));
  });
  afterAll(async () => {
    await running.close();
  });

  it.each(Object.keys(validBodies))('%s answers a success or a 4xx saying what is wrong, never a 5xx', async (path) => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(body(validBodies[path] as Record<string, unknown>), async (value) => {
        const response = await fetch(`${running.url}${path}`, {
          method: 'POST',
          headers: { ...kettleAdminHeaders, 'content-type': 'application/json' },
          body: JSON.stringify(value),
        });
        const text = await response.text();
        seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
        expect(response.status).toBeLessThan(500);
        expect(text).not.toMatch(/\n\s+at .+\.(js|ts):\d+/);
        if (response.status >= 400) {
          const error = errorResponseSchema.parse(JSON.parse(text)).error;
          expect(error.message).toMatch(/expected|unrecognized|not found|refused|give |one of/i);
        }
      }),
      // The valid body itself is always among the cases, so a success is seen whatever the seed draws.
      { numRuns: path === '/api/v1/evaluations' ? 60 : 150, examples: [[validBodies[path]]] },
    );
    // Both outcomes are reached: the valid body is served, most changed bodies are refused.
    expect([...seen.keys()].some((status) => status < 300)).toBe(true);
    expect([...seen.keys()].some((status) => status >= 400)).toBe(true);
  });
});
