import { LlmopsError, withRetry } from '@llmops/kernel';
import type { CallOptions, LlamaGuardHazard, RetryPolicy } from '@llmops/kernel';
import { z } from 'zod';
import { llamaGuardHazards, llamaGuardPrompt, parseLlamaGuardAnswer } from './llama-guard-format.js';
import type { LlamaGuardConversation } from './llama-guard-format.js';
import type { UpstreamPools } from '../openai-compatible/upstream-pools.js';
import { upstreamRequester } from '../openai-compatible/upstream-request.js';
import type { UpstreamAnswer, UpstreamRequester } from '../openai-compatible/upstream-request.js';
import { moderationStatusError } from './moderation-status-error.js';
import type { ModerationResult } from './openai-moderation-client.js';

/**
 * How the guard is asked: `completions` sends Llama Guard's own prompt (built here, with the hazard
 * categories chosen) to `POST /completions` (vLLM, TGI, llama.cpp); `chat` sends the conversation to
 * `POST /chat/completions` and lets the server's chat template build that prompt (Ollama, whose
 * `llama-guard3` template lists all fourteen categories; `hazards` then narrows only what is reported).
 */
export type LlamaGuardApi = 'completions' | 'chat';

/** Settings of {@link LlamaGuardClient}. */
export interface LlamaGuardClientOptions {
  /** The OpenAI-compatible base URL up to `/v1`, for example `http://127.0.0.1:8000/v1`. */
  baseUrl: string;
  /** The served model name, for example `meta-llama/Llama-Guard-3-8B` or `llama-guard3:1b`. */
  model: string;
  /** Sent as a bearer token when given; never written into messages or errors. */
  apiKey?: string;
  /** Time allowed for the whole check, retries included; 5 s by default. */
  timeoutMs?: number;
  /** The hazards the guard judges and reports; all of S1–S14 by default. */
  hazards?: readonly LlamaGuardHazard[];
  /** `completions` by default. */
  api?: LlamaGuardApi;
  /** A fetch for the calls (tests, proxies); without one the calls go on `pools`. */
  fetch?: typeof globalThis.fetch;
  /**
   * The keep-alive connection pools to call on, one per origin, closed by their owner (a `ProviderRegistry`'s
   * `pools`). Without them each call opens its own connection, closed after the answer.
   */
  pools?: UpstreamPools;
  /** Retries of retryable failures (5xx, 429, network); 2 attempts by default, within `timeoutMs`. */
  retry?: Partial<RetryPolicy>;
}

/** What a moderation call may say about the text besides the text itself. */
export interface LlamaGuardCallOptions extends CallOptions {
  /** `user` (default): the text is the user's message; `assistant`: it is the answer, judged as the `Agent` turn. */
  role?: 'user' | 'assistant';
  /** For an answer: the user's message it replies to, shown to the guard as the preceding turn. */
  question?: string;
}

/** The parts of a completion response the client reads (`/completions` or `/chat/completions`); others pass. */
const completionResponseSchema = z.looseObject({
  choices: z
    .array(
      z.looseObject({
        text: z.string().optional(),
        message: z.looseObject({ content: z.string().nullable().optional() }).optional(),
      }),
    )
    .min(1),
});

/**
 * A Llama Guard 3 model behind any OpenAI-compatible endpoint as a moderation check: the text is put
 * in Llama Guard's prompt (as the `User` turn on input, the `Agent` turn on output), sent at
 * temperature 0, and the answer (`safe`, or `unsafe` and a line such as `S1,S10`) read into harm
 * categories of the kernel's taxonomy (`S9` → `dangerous`, each finding keeping its code as rule
 * `llama_guard.S9`). A malformed answer, an HTTP failure or the timeout throws: the caller decides
 * whether that blocks or passes. Calls go on the upstream pools (or an injected `fetch`); the key only on this
 * client's calls, and a pool follows no redirect. It satisfies serving's `ModerationClient` port structurally.
 */
export class LlamaGuardClient {
  readonly name: string;
  private readonly baseUrl: string;
  private readonly model: string;
  private readonly apiKey: string | undefined;
  private readonly timeoutMs: number;
  private readonly hazards: readonly LlamaGuardHazard[];
  private readonly api: LlamaGuardApi;
  private readonly send: UpstreamRequester;
  private readonly retry: Partial<RetryPolicy>;

  constructor(options: LlamaGuardClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.model = options.model;
    this.name = `llama guard ${options.model} at ${options.baseUrl}`;
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.hazards = options.hazards ?? llamaGuardHazards;
    this.api = options.api ?? 'completions';
    this.send = upstreamRequester({ fetch: options.fetch, pools: options.pools });
    this.retry = { maxAttempts: 2, ...options.retry };
  }

  /**
   * Judges a text.
   * @throws LlmopsError `timeout` past `timeoutMs`; `upstream_error` for an unreachable endpoint, a 5xx or an
   * answer that is not a verdict; `unauthorized`, `not_found`, `rate_limited`… for the endpoint's other refusals.
   */
  async moderate(text: string, options: LlamaGuardCallOptions = {}): Promise<ModerationResult> {
    const conversation: LlamaGuardConversation =
      options.role === 'assistant'
        ? { judged: 'agent', text, ...(options.question === undefined ? {} : { question: options.question }) }
        : { judged: 'user', text };
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const answer = await withRetry(() => this.attempt(conversation, { signal, timeout }), {
      policy: this.retry,
      signal,
    });
    const verdict = parseLlamaGuardAnswer(answer, this.name);
    const reported = verdict.hazards.filter((finding) => this.hazards.includes(finding.hazard));
    return {
      flagged: reported.length > 0,
      categories: reported.map((finding) => ({ category: finding.category, rule: `llama_guard.${finding.hazard}` })),
    };
  }

  private request(conversation: LlamaGuardConversation): { path: string; body: unknown } {
    if (this.api === 'completions') {
      return {
        path: '/completions',
        body: {
          model: this.model,
          prompt: llamaGuardPrompt(conversation, this.hazards),
          temperature: 0,
          max_tokens: 24,
        },
      };
    }
    const messages =
      conversation.judged === 'user'
        ? [{ role: 'user', content: conversation.text }]
        : [
            { role: 'user', content: conversation.question ?? '' },
            { role: 'assistant', content: conversation.text },
          ];
    return { path: '/chat/completions', body: { model: this.model, messages, temperature: 0, max_tokens: 24 } };
  }

  private async attempt(
    conversation: LlamaGuardConversation,
    signals: { signal: AbortSignal; timeout: AbortSignal },
  ): Promise<string> {
    const { path, body: payload } = this.request(conversation);
    let response: UpstreamAnswer;
    try {
      response = await this.send({
        method: 'POST',
        url: new URL(`${this.baseUrl}${path}`),
        headers: {
          'content-type': 'application/json',
          ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
        },
        body: JSON.stringify(payload),
        signal: signals.signal,
      });
    } catch (cause) {
      if (signals.timeout.aborted)
        throw new LlmopsError('timeout', `${this.name}: no verdict within ${this.timeoutMs} ms (timeoutMs)`, {
          cause,
          retryable: false,
        });
      if (signals.signal.aborted)
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
    let parsed: z.infer<typeof completionResponseSchema>;
    try {
      parsed = completionResponseSchema.parse(JSON.parse(body));
    } catch (cause) {
      throw new LlmopsError('upstream_error', `${this.name} answered a body that is not a completion response`, {
        cause,
        retryable: false,
      });
    }
    const choice = parsed.choices[0] as (typeof parsed.choices)[number];
    return choice.text ?? choice.message?.content ?? '';
  }
}
