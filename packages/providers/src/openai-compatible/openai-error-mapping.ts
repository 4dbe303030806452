import { LlmopsError, parseRetryAfter } from '@llmops/kernel';
import type { ErrorCode, OpenAiErrorCode } from '@llmops/kernel';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai/core/error';
import type { AttemptDeadline } from './attempt-deadline.js';

/** What an upstream failure is about, for messages that say where it happened. */
export interface UpstreamContext {
  /** For example `openai endpoint https://api.openai.com/v1`. */
  endpoint: string;
  model: string;
  /** Redacted from every message. */
  apiKey?: string;
  /** The attempt that failed, to tell a timeout from a caller's abort. */
  deadline?: AttemptDeadline;
}

/** Text that looks like a credential: OpenAI-style keys (masked or not) and bearer tokens. */
const credentialPatterns = [/\bsk-[A-Za-z0-9_*.-]{3,}/g, /\bBearer\s+[^\s"',]+/gi];

/** Removes the API key, and anything shaped like a key or a bearer token, from a text. */
export function redactSecrets(text: string, apiKey?: string): string {
  let result = apiKey && apiKey.length >= 4 ? text.split(apiKey).join('[redacted]') : text;
  for (const pattern of credentialPatterns)
    result = result.replace(pattern, (match) =>
      match.toLowerCase().startsWith('bearer') ? 'Bearer [redacted]' : 'sk-[redacted]',
    );
  return result;
}

/** The upstream's own message from an error body (`{"error": {"message"}}`, `{"error": "..."}`, `{"message"}`). */
function upstreamMessage(error: APIError): string {
  const body: unknown = error.error;
  if (typeof body === 'string') return body;
  if (body !== null && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    if (typeof record['message'] === 'string') return record['message'];
    if (typeof record['error'] === 'string') return record['error'];
  }
  return error.message.replace(/^\d{3}\s+/, '');
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const milliseconds = Number(headers?.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  return parseRetryAfter(headers?.get('retry-after'));
}

const contextLengthPattern =
  /context[ _-]?(?:length|window|size)|maximum context|too many tokens|prompt is too long|reduce the length/i;

function isContextLengthError(error: APIError, message: string): boolean {
  return (
    error.code === 'context_length_exceeded' ||
    error.type === 'exceed_context_size_error' ||
    contextLengthPattern.test(message)
  );
}

function abortError(context: UpstreamContext, where: string, cause: unknown): LlmopsError {
  const reason: unknown = context.deadline?.signal.reason;
  if (context.deadline?.timedOut) {
    return new LlmopsError('timeout', `${where}: no response within ${context.deadline.limitMs} ms (timeoutMs)`, {
      cause,
    });
  }
  if (typeof reason === 'object' && reason !== null && (reason as Error).name === 'TimeoutError') {
    return new LlmopsError('timeout', `${where}: the caller's deadline passed before the call finished`, { cause });
  }
  return new LlmopsError('unavailable', `${where}: the call was aborted by the caller`, { cause, retryable: false });
}

function statusError(error: APIError, context: UpstreamContext, where: string): LlmopsError {
  const status = error.status as number;
  const message = redactSecrets(upstreamMessage(error), context.apiKey);
  const details = { status, upstreamCode: error.code ?? null, requestId: error.requestID ?? null };
  const make = (
    code: ErrorCode,
    text: string,
    extra: { retryable?: boolean; details?: object; openaiCode?: OpenAiErrorCode } = {},
  ) =>
    new LlmopsError(code, text, {
      cause: error,
      details: { ...details, ...extra.details },
      retryAfterMs: retryAfterMs(error.headers),
      ...(extra.retryable === undefined ? {} : { retryable: extra.retryable }),
      ...(extra.openaiCode === undefined ? {} : { openaiCode: extra.openaiCode }),
    });
  if (status === 400 && isContextLengthError(error, message)) {
    return make(
      'invalid_input',
      `${where}: the request exceeds the model's context length (400): ${message}; shorten the messages or lower max_tokens`,
      // OpenAI's own code and parameter for it, so a client calling llmops reads the upstream's refusal as OpenAI's.
      { details: { reason: 'context_length_exceeded', param: 'messages' }, openaiCode: 'context_length_exceeded' },
    );
  }
  if (status === 400 || status === 422)
    return make('invalid_input', `${where}: the request was rejected (${status}): ${message}`);
  if (status === 401)
    return make(
      'unauthorized',
      `${where}: the API key was rejected (401): ${message}; check the key's environment variable`,
    );
  if (status === 403) return make('forbidden', `${where}: access denied (403): ${message}`);
  if (status === 404) return make('not_found', `${where}: model not found (404): ${message}; check the model id`);
  if (status === 408) return make('timeout', `${where}: the upstream timed out (408): ${message}`);
  if (status === 409) return make('conflict', `${where}: conflict (409): ${message}`);
  if (status === 429) {
    if (error.code === 'insufficient_quota') {
      return make('rate_limited', `${where}: the account's quota is exhausted (429 insufficient_quota): ${message}`, {
        retryable: false,
      });
    }
    return make('rate_limited', `${where}: rate limited (429): ${message}`);
  }
  if (status >= 500) return make('upstream_error', `${where}: the upstream failed (${status}): ${message}`);
  return make('invalid_input', `${where}: unexpected status ${status}: ${message}`);
}

/**
 * Maps anything the OpenAI SDK (or the stream under it) throws to an LlmopsError:
 * 400 → invalid_input (saying so when the context length is exceeded), 401 → unauthorized,
 * 403 → forbidden, 404 → not_found, 429 → rate_limited (retryable, `retryAfterMs` from
 * `Retry-After`/`retry-after-ms`; not retryable for `insufficient_quota`), 5xx and connection
 * failures or resets → upstream_error (retryable), timeouts → timeout, a caller's abort →
 * unavailable (not retryable). Messages name the endpoint and model and never contain the API key.
 */
export function mapOpenAiError(error: unknown, context: UpstreamContext): LlmopsError {
  if (LlmopsError.isInstance(error)) return error;
  const where = `${context.endpoint} (model ${context.model})`;
  if (context.deadline?.timedOut || context.deadline?.callerAborted || error instanceof APIUserAbortError) {
    return abortError(context, where, error);
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new LlmopsError('timeout', `${where}: the request timed out`, { cause: error });
  }
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? `: ${redactSecrets(error.cause.message, context.apiKey)}` : '';
    return new LlmopsError('upstream_error', `${where}: connection failed${cause}`, { cause: error });
  }
  if (error instanceof APIError) {
    if (error.status !== undefined) return statusError(error, context, where);
    const message = redactSecrets(upstreamMessage(error), context.apiKey);
    return new LlmopsError('upstream_error', `${where}: the stream reported an error: ${message}`, { cause: error });
  }
  // Compared by name, not instanceof: errors from Node's fetch come from another realm under test runners.
  const name = typeof error === 'object' && error !== null ? (error as Error).name : undefined;
  const errorMessage = typeof error === 'object' && error !== null ? String((error as Error).message) : String(error);
  const errorCause: unknown = typeof error === 'object' && error !== null ? (error as Error).cause : undefined;
  if (name === 'SyntaxError') {
    return new LlmopsError('upstream_error', `${where}: malformed response: ${errorMessage}`, { cause: error });
  }
  if (name === 'TypeError') {
    // undici reports a connection closed mid-body as `TypeError: terminated`.
    const cause =
      typeof errorCause === 'object' && errorCause !== null ? ` (${String((errorCause as Error).message)})` : '';
    return new LlmopsError(
      'upstream_error',
      `${where}: the connection was closed before the response ended: ${errorMessage}${cause}`,
      {
        cause: error,
      },
    );
  }
  return new LlmopsError('internal', `${where}: unexpected failure: ${redactSecrets(errorMessage, context.apiKey)}`, {
    cause: error,
  });
}
