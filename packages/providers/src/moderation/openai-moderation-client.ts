import { LlmopsError, withRetry } from '@llmops/kernel';
import type { CallOptions, RetryPolicy } from '@llmops/kernel';
import { z } from 'zod';
import type { UpstreamPools } from '../openai-compatible/upstream-pools.js';
import { upstreamRequester } from '../openai-compatible/upstream-request.js';
import type { UpstreamAnswer, UpstreamRequester } from '../openai-compatible/upstream-request.js';
import { moderationStatusError } from './moderation-status-error.js';

/** The verdict of a moderation endpoint on one text (the shape serving's `ModerationClient` port expects). */
export interface ModerationResult {
  flagged: boolean;
  /** Categories flagged (names as the endpoint gives them, for example `violence/graphic`), with scores when known. */
  categories: Array<{
    category: string;
    score?: number;
    /** What in the moderator's own terms gave the category, for example `llama_guard.S9`. */
    rule?: string;
  }>;
}

/** Settings of {@link OpenAiModerationClient}. */
export interface OpenAiModerationClientOptions {
  /** The API base URL up to `/v1`, for example `https://api.openai.com/v1`. */
  baseUrl: string;
  /** `omni-moderation-latest` by default. */
  model?: string;
  /** Sent as a bearer token when given; never written into messages. */
  apiKey?: string;
  /** Time allowed for one attempt; 5 s by default. */
  timeoutMs?: number;
  /** Also flag a category whose score reaches this, even when the endpoint did not flag it. */
  threshold?: number;
  /** A fetch for the calls (tests, proxies); without one the calls go on `pools`. */
  fetch?: typeof globalThis.fetch;
  /**
   * The keep-alive connection pools to call on, one per origin, closed by their owner (a `ProviderRegistry`'s
   * `pools`). Without them each call opens its own connection, closed after the answer.
   */
  pools?: UpstreamPools;
  retry?: Partial<RetryPolicy>;
}

/** The parts of OpenAI's moderation response llmops reads; other fields pass. */
const moderationResponseSchema = z.looseObject({
  results: z
    .array(
      z.looseObject({
        flagged: z.boolean(),
        categories: z.record(z.string(), z.boolean().nullable()).default({}),
        category_scores: z.record(z.string(), z.number()).default({}),
      }),
    )
    .min(1),
});

/**
 * The moderation check through an OpenAI-compatible `POST {baseUrl}/moderations` endpoint, spoken
 * without an SDK on the upstream pools (or an injected `fetch`): one text in, the flagged categories and their scores
 * out. The key goes only on this client's calls; a pool follows no redirect.
 * Failures are retried with the kernel's retry policy when retryable (429 honouring
 * `Retry-After`, 5xx, network errors, timeouts). It satisfies serving's `ModerationClient` port
 * structurally (providers does not depend on serving).
 */
export class OpenAiModerationClient {
  readonly name: string;
  private readonly url: URL;
  private readonly model: string;
  private readonly apiKey: string | undefined;
  private readonly timeoutMs: number;
  private readonly threshold: number | undefined;
  private readonly send: UpstreamRequester;
  private readonly retry: Partial<RetryPolicy> | undefined;

  constructor(options: OpenAiModerationClientOptions) {
    this.url = new URL(`${options.baseUrl.replace(/\/+$/, '')}/moderations`);
    this.model = options.model ?? 'omni-moderation-latest';
    this.name = `moderation ${this.model} at ${options.baseUrl}`;
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.threshold = options.threshold;
    this.send = upstreamRequester({ fetch: options.fetch, pools: options.pools });
    this.retry = options.retry;
  }

  /** @throws LlmopsError as the endpoint fails: `unauthorized`, `rate_limited`, `upstream_error`, `timeout`… */
  async moderate(text: string, options: CallOptions = {}): Promise<ModerationResult> {
    return withRetry(() => this.attempt(text, options.signal), {
      ...(this.retry ? { policy: this.retry } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  private async attempt(text: string, callerSignal: AbortSignal | undefined): Promise<ModerationResult> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
    let response: UpstreamAnswer;
    try {
      response = await this.send({
        method: 'POST',
        url: this.url,
        headers: {
          'content-type': 'application/json',
          ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: this.model, input: text }),
        signal,
      });
    } catch (cause) {
      if (timeout.aborted)
        throw new LlmopsError('timeout', `${this.name}: no answer within ${this.timeoutMs} ms (timeoutMs)`, { cause });
      if (callerSignal?.aborted)
        throw new LlmopsError('unavailable', `${this.name}: the call was aborted`, { cause, retryable: false });
      throw new LlmopsError('upstream_error', `${this.name} cannot be reached: ${(cause as Error).message}`, { cause });
    }
    const body = response.text;
    if (response.status < 200 || response.status >= 300)
      throw moderationStatusError(response.status, {
        where: this.name,
        body,
        retryAfter: response.header('retry-after'),
      });
    let parsed;
    try {
      parsed = moderationResponseSchema.parse(JSON.parse(body));
    } catch (cause) {
      throw new LlmopsError('upstream_error', `${this.name} answered a body that is not a moderation response`, {
        cause,
      });
    }
    const result = parsed.results[0] as z.infer<typeof moderationResponseSchema>['results'][number];
    const categories: ModerationResult['categories'] = [];
    const names = new Set([...Object.keys(result.categories), ...Object.keys(result.category_scores)]);
    for (const category of names) {
      const score = result.category_scores[category];
      const aboveThreshold = this.threshold !== undefined && score !== undefined && score >= this.threshold;
      if (result.categories[category] === true || aboveThreshold)
        categories.push({ category, ...(score === undefined ? {} : { score }) });
    }
    return { flagged: result.flagged || categories.length > 0, categories };
  }
}
