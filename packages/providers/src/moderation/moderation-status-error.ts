import { LlmopsError, parseRetryAfter } from '@llmops/kernel';

/**
 * The llmops error of a moderation endpoint's HTTP failure: 401 `unauthorized`, 403 `forbidden`, 404
 * `not_found`, 429 `rate_limited` (with its `Retry-After`), 5xx `upstream_error`, other 4xx
 * `invalid_input`. The message quotes at most 200 characters of the body, never the request.
 */
export function moderationStatusError(
  status: number,
  options: { where: string; body: string; retryAfter: string | null },
): LlmopsError {
  const detail = options.body.slice(0, 200);
  const message = `${options.where} answered HTTP ${status}${detail ? `: ${detail}` : ''}`;
  if (status === 401) return new LlmopsError('unauthorized', `${message}; check the API key variable (apiKeyEnv)`);
  if (status === 403) return new LlmopsError('forbidden', message);
  if (status === 404) return new LlmopsError('not_found', `${message}; check baseUrl and model`);
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(options.retryAfter);
    return new LlmopsError('rate_limited', message, retryAfterMs === undefined ? {} : { retryAfterMs });
  }
  if (status >= 500) return new LlmopsError('upstream_error', message);
  return new LlmopsError('invalid_input', message);
}
