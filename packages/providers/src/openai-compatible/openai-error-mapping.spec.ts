import { LlmopsError } from '@llmops/kernel';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { mapOpenAiError, redactSecrets } from './openai-error-mapping.js';

const context = {
  endpoint: 'openai endpoint https://api.openai.com/v1',
  model: 'gpt-4o-mini',
  apiKey: 'sk-proj-abcdefghijklmnop',
};

function statusError(status: number, body: object, headers: Record<string, string> = {}): APIError {
  return APIError.generate(status, { error: body }, undefined, new Headers(headers));
}

describe('redactSecrets', () => {
  it('removes the key itself, masked OpenAI keys and bearer tokens', () => {
    expect(redactSecrets('key sk-proj-abcdefghijklmnop leaked', context.apiKey)).toBe('key [redacted] leaked');
    expect(redactSecrets('Incorrect API key provided: sk-proj-****mnop.')).toBe(
      'Incorrect API key provided: sk-[redacted]',
    );
    expect(redactSecrets('header Authorization: Bearer abc.def.ghi')).toBe('header Authorization: Bearer [redacted]');
  });
});

describe('mapOpenAiError', () => {
  it('maps statuses to codes', () => {
    const cases: Array<[number, string]> = [
      [400, 'invalid_input'],
      [401, 'unauthorized'],
      [403, 'forbidden'],
      [404, 'not_found'],
      [408, 'timeout'],
      [422, 'invalid_input'],
      [429, 'rate_limited'],
      [500, 'upstream_error'],
      [502, 'upstream_error'],
      [503, 'upstream_error'],
    ];
    for (const [status, code] of cases) {
      expect([status, mapOpenAiError(statusError(status, { message: 'x' }), context).code]).toEqual([status, code]);
    }
  });

  it('recognises context-length errors of llama.cpp and vLLM by their wording', () => {
    const llamaCpp = statusError(400, {
      message: 'the request exceeds the available context size, try increasing it',
      type: 'exceed_context_size_error',
    });
    const vllm = statusError(400, {
      message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.",
    });
    expect(mapOpenAiError(llamaCpp, context).details).toMatchObject({ reason: 'context_length_exceeded' });
    expect(mapOpenAiError(vllm, context).message).toContain("exceeds the model's context length");
  });

  it('reads retry-after-ms before Retry-After, and an HTTP-date Retry-After', () => {
    expect(
      mapOpenAiError(
        statusError(429, { message: 'slow down' }, { 'retry-after-ms': '1500', 'retry-after': '9' }),
        context,
      ).retryAfterMs,
    ).toBe(1_500);
    const date = new Date(Date.now() + 30_000).toUTCString();
    const fromDate =
      mapOpenAiError(statusError(503, { message: 'busy' }, { 'retry-after': date }), context).retryAfterMs ?? 0;
    expect(fromDate).toBeGreaterThan(25_000);
    expect(fromDate).toBeLessThanOrEqual(30_000);
  });

  it('does not retry an exhausted quota', () => {
    const quota = statusError(429, { message: 'You exceeded your current quota', code: 'insufficient_quota' });
    expect(mapOpenAiError(quota, context)).toMatchObject({ code: 'rate_limited', retryable: false });
  });

  it('reads the string error bodies of Ollama', () => {
    const ollama = APIError.generate(404, { error: "model 'llama9' not found" }, undefined, new Headers());
    const error = mapOpenAiError(ollama, context);
    expect(error.code).toBe('not_found');
    expect(error.message).toContain("model 'llama9' not found");
  });

  it('maps connection failures and SDK timeouts', () => {
    expect(
      mapOpenAiError(new APIConnectionError({ cause: new Error('connect ECONNREFUSED 127.0.0.1:9') }), context),
    ).toMatchObject({
      code: 'upstream_error',
      retryable: true,
      message: expect.stringContaining('ECONNREFUSED'),
    });
    expect(mapOpenAiError(new APIConnectionTimeoutError(), context).code).toBe('timeout');
  });

  it('passes LlmopsErrors through and never leaks the key from unknown failures', () => {
    const own = new LlmopsError('budget_exceeded', 'over budget');
    expect(mapOpenAiError(own, context)).toBe(own);
    const unknown = mapOpenAiError(new Error(`weird failure with ${context.apiKey}`), context);
    expect(unknown.code).toBe('internal');
    expect(unknown.message).not.toContain(context.apiKey);
  });
});
