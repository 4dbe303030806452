const marker = Symbol.for('llmops.error');

/**
 * The closed set of error codes of llmops, each with the HTTP status the API answers with,
 * whether retrying the same call may succeed, and the OpenAI error `type` it maps to.
 */
export const errorCodes = {
  invalid_input: { httpStatus: 400, retryable: false, openaiType: 'invalid_request_error' },
  not_found: { httpStatus: 404, retryable: false, openaiType: 'invalid_request_error' },
  conflict: { httpStatus: 409, retryable: false, openaiType: 'invalid_request_error' },
  // OpenAI answers every 401 (no key, a wrong key) with type invalid_request_error, so the same clients parse ours.
  unauthorized: { httpStatus: 401, retryable: false, openaiType: 'invalid_request_error' },
  forbidden: { httpStatus: 403, retryable: false, openaiType: 'permission_error' },
  rate_limited: { httpStatus: 429, retryable: true, openaiType: 'rate_limit_error' },
  budget_exceeded: { httpStatus: 429, retryable: false, openaiType: 'insufficient_quota' },
  upstream_error: { httpStatus: 502, retryable: true, openaiType: 'api_error' },
  timeout: { httpStatus: 504, retryable: true, openaiType: 'timeout_error' },
  unavailable: { httpStatus: 503, retryable: true, openaiType: 'api_error' },
  gate_failed: { httpStatus: 422, retryable: false, openaiType: 'invalid_request_error' },
  guardrail_blocked: { httpStatus: 400, retryable: false, openaiType: 'invalid_request_error' },
  method_not_allowed: { httpStatus: 405, retryable: false, openaiType: 'invalid_request_error' },
  internal: { httpStatus: 500, retryable: false, openaiType: 'server_error' },
} as const satisfies Record<string, { httpStatus: number; retryable: boolean; openaiType: string }>;

/** One of the closed set of llmops error codes. */
export type ErrorCode = keyof typeof errorCodes;

/**
 * The `code`s of OpenAI's error bodies that llmops answers with, each with the llmops code it refines. An error
 * answers its OpenAI code when it names one (`openaiCode`) or when the row is its code's `default`; every other error
 * answers its llmops code (`budget_exceeded`, `guardrail_blocked`, `forbidden`…: situations OpenAI has no code for).
 * The one place to look up which code the API answers with; wiki/Serving.md's error table lists the same rows.
 */
export const openAiErrorCodes = {
  /** An API key was sent but is not accepted: unknown, wrong secret, revoked, malformed. */
  invalid_api_key: { errorCode: 'unauthorized', default: false },
  /** A `model` that names nothing served here (chat completions, embeddings, `GET /v1/models/{model}`). */
  model_not_found: { errorCode: 'not_found', default: false },
  /** Every rate limit: a key's requests or tokens per minute, an upstream's 429. */
  rate_limit_exceeded: { errorCode: 'rate_limited', default: true },
  /** The messages (plus `max_tokens`) do not fit the model's context window. */
  context_length_exceeded: { errorCode: 'invalid_input', default: false },
} as const satisfies Record<string, { errorCode: ErrorCode; default: boolean }>;

/** One of the OpenAI error codes llmops answers with ({@link openAiErrorCodes}). */
export type OpenAiErrorCode = keyof typeof openAiErrorCodes;

/** Options of {@link LlmopsError}. */
export interface LlmopsErrorOptions {
  /** The error that caused this one, kept for `--verbose` output and logs. */
  cause?: unknown;
  /** Overrides the code's default retryability (for example a 500 that is known to be permanent). */
  retryable?: boolean;
  /** Milliseconds the caller should wait before retrying, when the upstream said so (`Retry-After`). */
  retryAfterMs?: number;
  /** Structured details safe to show to a user (never secrets), for example failed gate criteria. */
  details?: unknown;
  /**
   * The OpenAI error code this error is an instance of (`model_not_found` for a `not_found` model), when the situation
   * has one; it must refine this error's code ({@link openAiErrorCodes}), otherwise it is ignored.
   */
  openaiCode?: OpenAiErrorCode;
}

/**
 * The one error class of llmops. Every failure a user can see carries a code from the closed set,
 * a message saying what was wrong, where, and what was expected, and the cause it came from.
 */
export class LlmopsError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly details: unknown;
  /** The OpenAI error code of the situation, when it has one (see {@link LlmopsErrorOptions.openaiCode}). */
  readonly openaiCode: OpenAiErrorCode | undefined;

  constructor(code: ErrorCode, message: string, options: LlmopsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    Object.defineProperty(this, marker, { value: true });
    this.name = 'LlmopsError';
    this.code = code;
    this.retryable = options.retryable ?? errorCodes[code].retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
    this.openaiCode =
      options.openaiCode !== undefined && openAiErrorCodes[options.openaiCode].errorCode === code
        ? options.openaiCode
        : undefined;
  }

  /**
   * The same error answering as the OpenAI code `openaiCode` (`model_not_found` for a registry's `not_found` of the
   * requested model): message, cause, details and retry hints are kept.
   */
  withOpenAiCode(openaiCode: OpenAiErrorCode): LlmopsError {
    if (this.openaiCode === openaiCode) return this;
    return new LlmopsError(this.code, this.message, {
      cause: this.cause,
      retryable: this.retryable,
      details: this.details,
      openaiCode,
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
    });
  }

  /** The HTTP status the API answers this error with. */
  get httpStatus(): number {
    return errorCodes[this.code].httpStatus;
  }

  /** True for any LlmopsError, also one created by another copy of this package. */
  static isInstance(error: unknown): error is LlmopsError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }

  /**
   * Normalises anything thrown into an LlmopsError: LlmopsErrors pass through, aborts become
   * `timeout` when the signal reason was a timeout, everything else becomes `internal` with the cause kept.
   */
  static fromUnknown(error: unknown, fallbackMessage = 'unexpected error'): LlmopsError {
    if (LlmopsError.isInstance(error)) return error;
    // DOMExceptions from AbortSignal may come from another realm, so look at the name, not the prototype.
    const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
    const text = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new LlmopsError(name === 'TimeoutError' ? 'timeout' : 'unavailable', String(text ?? name), {
        cause: error,
      });
    }
    const message = typeof text === 'string' ? text : typeof error === 'string' ? error : fallbackMessage;
    return new LlmopsError('internal', message || fallbackMessage, { cause: error });
  }
}

/** True when `value` is one of the closed set of error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCodes, value);
}

/**
 * The `code` an error answers with on the wire: its OpenAI code when it has one ({@link openAiErrorCodes}: named by
 * the error, or its code's default), otherwise its llmops code.
 */
export function wireErrorCode(error: LlmopsError): OpenAiErrorCode | ErrorCode {
  if (error.openaiCode !== undefined) return error.openaiCode;
  for (const [openaiCode, row] of Object.entries(openAiErrorCodes))
    if (row.default && row.errorCode === error.code) return openaiCode as OpenAiErrorCode;
  return error.code;
}

/** The OpenAI-shaped error body (`{"error": {message, type, code, param}}`) for an error. */
export function toOpenAiErrorBody(error: LlmopsError, param: string | null = null) {
  return {
    error: { message: error.message, type: errorCodes[error.code].openaiType, code: wireErrorCode(error), param },
  };
}

/** The messages of an error and its causes, outermost first (for `--verbose` output). */
export function causeChain(error: unknown): string[] {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth += 1) {
    messages.push(current instanceof Error ? `${current.name}: ${current.message}` : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return messages;
}
