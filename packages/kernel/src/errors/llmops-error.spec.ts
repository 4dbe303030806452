import { causeChain, errorCodes, isErrorCode, LlmopsError, toOpenAiErrorBody } from './llmops-error.js';

describe('LlmopsError', () => {
  it('carries its code, HTTP status and default retryability', () => {
    const error = new LlmopsError('rate_limited', 'too many requests', { retryAfterMs: 1500 });
    expect(error.code).toBe('rate_limited');
    expect(error.httpStatus).toBe(429);
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(1500);
    expect(error).toBeInstanceOf(Error);
  });

  it('lets a caller override retryability and keeps the cause', () => {
    const cause = new Error('socket hang up');
    const error = new LlmopsError('upstream_error', 'provider failed', { cause, retryable: false });
    expect(error.retryable).toBe(false);
    expect(error.cause).toBe(cause);
  });

  it('maps every code to a status in the 4xx or 5xx range', () => {
    for (const [code, entry] of Object.entries(errorCodes)) {
      expect([code, entry.httpStatus >= 400 && entry.httpStatus < 600]).toEqual([code, true]);
    }
    expect(new LlmopsError('not_found', 'x').httpStatus).toBe(404);
    expect(new LlmopsError('gate_failed', 'x').httpStatus).toBe(422);
    expect(new LlmopsError('internal', 'x').httpStatus).toBe(500);
  });

  it('recognises instances through the shared marker, not the prototype', () => {
    const error = new LlmopsError('conflict', 'exists');
    const lookalike = Object.assign(Object.create(null), { code: 'conflict' });
    expect(LlmopsError.isInstance(error)).toBe(true);
    expect(LlmopsError.isInstance(new Error('plain'))).toBe(false);
    expect(LlmopsError.isInstance(lookalike)).toBe(false);
    expect(LlmopsError.isInstance(null)).toBe(false);
  });

  it('normalises unknown throws', () => {
    const passthrough = new LlmopsError('forbidden', 'no');
    expect(LlmopsError.fromUnknown(passthrough)).toBe(passthrough);
    const fromError = LlmopsError.fromUnknown(new TypeError('bad'));
    expect([fromError.code, fromError.message]).toEqual(['internal', 'bad']);
    expect(LlmopsError.fromUnknown('text thrown').message).toBe('text thrown');
    expect(LlmopsError.fromUnknown(42, 'fallback').message).toBe('fallback');
    const timeout = new DOMException('The operation timed out', 'TimeoutError');
    expect(LlmopsError.fromUnknown(timeout).code).toBe('timeout');
  });

  it('renders an OpenAI-shaped error body', () => {
    const body = toOpenAiErrorBody(new LlmopsError('not_found', 'model "x" not found'), 'model');
    expect(body).toEqual({
      error: { message: 'model "x" not found', type: 'invalid_request_error', code: 'not_found', param: 'model' },
    });
  });

  it('lists the cause chain outermost first', () => {
    const error = new LlmopsError('internal', 'outer', { cause: new Error('inner', { cause: 'root' }) });
    expect(causeChain(error)).toEqual(['LlmopsError: outer', 'Error: inner', 'root']);
  });

  it('knows its closed set of codes', () => {
    expect(isErrorCode('timeout')).toBe(true);
    expect(isErrorCode('teapot')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
  });
});
