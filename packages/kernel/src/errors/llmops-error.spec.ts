import {
  causeChain,
  errorCodes,
  isErrorCode,
  LlmopsError,
  openAiErrorCodes,
  toOpenAiErrorBody,
  wireErrorCode,
} from './llmops-error.js';

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

  it("answers OpenAI's code where the situation has one, and its own code otherwise", () => {
    const unknownModel = new LlmopsError('not_found', 'model "x" is not registered', { openaiCode: 'model_not_found' });
    expect(toOpenAiErrorBody(unknownModel, 'model').error).toEqual({
      message: 'model "x" is not registered',
      type: 'invalid_request_error',
      code: 'model_not_found',
      param: 'model',
    });
    // A rate limit is OpenAI's rate_limit_exceeded wherever it comes from; a budget keeps llmops' own code.
    expect(wireErrorCode(new LlmopsError('rate_limited', 'slow down'))).toBe('rate_limit_exceeded');
    expect(wireErrorCode(new LlmopsError('budget_exceeded', 'spent'))).toBe('budget_exceeded');
    expect(wireErrorCode(new LlmopsError('unauthorized', 'no key'))).toBe('unauthorized');
    // An OpenAI code that does not refine the error's code is ignored rather than answered.
    const mismatched = new LlmopsError('invalid_input', 'x', { openaiCode: 'model_not_found' });
    expect([mismatched.openaiCode, wireErrorCode(mismatched)]).toEqual([undefined, 'invalid_input']);
  });

  it('keeps message, details and retry hints when an error is given its OpenAI code', () => {
    const cause = new Error('registry');
    const original = new LlmopsError('not_found', 'model "x" is not registered', {
      cause,
      details: { param: 'model' },
      retryAfterMs: 10,
    });
    const answered = original.withOpenAiCode('model_not_found');
    expect([answered.code, answered.openaiCode, answered.message, answered.cause]).toEqual([
      'not_found',
      'model_not_found',
      'model "x" is not registered',
      cause,
    ]);
    expect([answered.details, answered.retryAfterMs, answered.retryable]).toEqual([{ param: 'model' }, 10, false]);
    expect(answered.withOpenAiCode('model_not_found')).toBe(answered);
  });

  it('refines existing codes in its OpenAI table, with at most one default per code', () => {
    const defaults = new Map<string, string>();
    for (const [openaiCode, row] of Object.entries(openAiErrorCodes)) {
      expect([openaiCode, isErrorCode(row.errorCode)]).toEqual([openaiCode, true]);
      expect([openaiCode, isErrorCode(openaiCode)]).toEqual([openaiCode, false]);
      if (row.default) {
        expect([openaiCode, defaults.get(row.errorCode)]).toEqual([openaiCode, undefined]);
        defaults.set(row.errorCode, openaiCode);
      }
    }
    expect(new LlmopsError('method_not_allowed', 'x').httpStatus).toBe(405);
    expect(errorCodes.unauthorized.openaiType).toBe('invalid_request_error');
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
