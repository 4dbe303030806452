import { LlmopsError, parseRetryAfter, withRetry } from '@llmops/kernel';
import type { RetryPolicy } from '@llmops/kernel';
import type { AlertNotifier, AlertPayload } from '../../application/alerts/alert-ports.js';
import type { NotificationOutcome } from '../../domain/alerts/alert-record.js';

/** Options of {@link WebhookNotifier}. */
export interface WebhookNotifierOptions {
  /** An http(s) URL from configuration (never from a request). */
  url: string;
  /** Each attempt's time limit, in milliseconds. */
  timeoutMs: number;
  /** Attempts, back-off base and cap: kernel's retry policy (exponential back-off with full jitter). */
  retry: RetryPolicy;
  /** The fetch to call; the global one (undici) by default. */
  fetch?: typeof fetch;
  /** Waits between attempts; a timer by default (tests may pass a quicker one). */
  sleep?: (ms: number) => Promise<void>;
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * POSTs each alert as JSON to a webhook: every attempt has a time limit; a timeout, a network error, 408, 429 or 5xx
 * is retried with exponential back-off and full jitter (kernel's one retry policy, `Retry-After` honoured), then the
 * notification is recorded as failed. Redirects are not followed. The payload holds the alert only; the URL (which
 * may carry a token) is not recorded beyond its origin.
 */
export class WebhookNotifier implements AlertNotifier {
  readonly channel = 'webhook' as const;
  readonly target: string;
  private readonly url: URL;

  /** @throws LlmopsError `invalid_input` when the URL is not http(s). */
  constructor(private readonly options: WebhookNotifierOptions) {
    const url = URL.canParse(options.url) ? new URL(options.url) : undefined;
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new LlmopsError('invalid_input', `webhook URL "${options.url}" is not an http(s) URL`);
    }
    this.url = url;
    this.target = url.origin;
  }

  private async post(body: string): Promise<void> {
    const fetchImplementation = this.options.fetch ?? fetch;
    let response: Response;
    try {
      response = await fetchImplementation(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'llmops-alerts' },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (cause) {
      const timedOut = cause instanceof DOMException && cause.name === 'TimeoutError';
      throw timedOut
        ? new LlmopsError('timeout', `webhook ${this.target} did not answer within ${this.options.timeoutMs} ms`, {
            cause,
          })
        : new LlmopsError(
            'upstream_error',
            `webhook ${this.target} could not be reached: ${(cause as Error).message}`,
            {
              cause,
            },
          );
    }
    await response.body?.cancel();
    if (response.ok) return;
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    throw new LlmopsError('upstream_error', `webhook ${this.target} answered HTTP ${response.status}`, {
      retryable: isRetryableStatus(response.status),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }

  async send(payload: AlertPayload): Promise<Pick<NotificationOutcome, 'status' | 'attempts' | 'error'>> {
    const body = JSON.stringify({ type: 'llmops.alert', alert: payload });
    let attempts = 0;
    try {
      await withRetry(
        async (attempt) => {
          attempts = attempt;
          await this.post(body);
        },
        { policy: this.options.retry, ...(this.options.sleep ? { sleep: this.options.sleep } : {}) },
      );
      return { status: 'sent', attempts };
    } catch (error) {
      return { status: 'failed', attempts, error: LlmopsError.fromUnknown(error).message };
    }
  }
}
