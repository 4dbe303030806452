import { LlmopsError } from '@llmops/kernel';
import type { CallOptions, ModelRerankerSpec, ProviderCredentials } from '@llmops/kernel';
import { upstreamRequester } from '@llmops/providers';
import type { UpstreamPools, UpstreamRequester } from '@llmops/providers';
import { z } from 'zod';
import type { ScoredPassage } from '../../domain/retrieval/passage.js';
import type { ModelPassageReranker, ModelRerankReport } from '../../application/retrieval/passage-retriever.js';

/** What {@link HttpPassageReranker} needs besides its spec. */
export interface HttpPassageRerankerOptions {
  /** Where the key of `apiKeyEnv` is read, at call time. */
  env: Record<string, string | undefined>;
  /** The declared credentials: `apiKeyEnv` must be bound to the base URL's host (checked at construction). */
  credentials: ProviderCredentials;
  /** A fetch for the calls (tests, proxies; redirects are refused); without one the calls go on `pools`. */
  fetch?: typeof globalThis.fetch | undefined;
  /** The providers' upstream pools (one per origin, no redirects); a connection per call without them. */
  pools?: UpstreamPools | undefined;
  /** The spec field named in errors; `pipeline.retrieval.reranker` by default. */
  field?: string;
}

/** The rerank wire answer (vLLM, TEI, Infinity, Jina, Cohere v2, LiteLLM): extra fields accepted. */
const rerankAnswerSchema = z.object({
  results: z.array(z.object({ index: z.number().int().min(0), relevance_score: z.number().optional() })),
});

/** The part of an OpenAI-compatible chat completion the chat reranker reads. */
const chatAnswerSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable().optional() }) })).min(1),
});

/** The text a reranker sees of a passage: its title and section path, then its text, as the lexical index sees them. */
export function rerankDocumentOf(passage: ScoredPassage): string {
  const heading = [passage.title, passage.section].filter((part): part is string => !!part && part !== '').join(' › ');
  return heading === '' ? passage.text : `${heading}\n${passage.text}`;
}

/**
 * Reads the passage numbers (1-based) a chat reranker answered, strictly: the answer must be one JSON array of whole
 * numbers, alone or in one fenced code block. Numbers outside 1…`count` and repeats are ignored; omitted passages keep
 * their previous order after the ranked ones (see {@link orderByIndexes}).
 * @throws LlmopsError `upstream_error` when the answer is anything else.
 */
export function parseChatRanking(content: string, count: number): number[] {
  const text = content
    .trim()
    .replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/, '$1')
    .trim();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = z.array(z.number().int()).safeParse(json);
  if (!parsed.success)
    throw new LlmopsError('upstream_error', 'the chat reranker did not answer a JSON array of passage numbers');
  return parsed.data.filter((number) => number >= 1 && number <= count).map((number) => number - 1);
}

/** The passages in the model's order (0-based indexes; unknown and repeated ones ignored), then the rest as they were. */
export function orderByIndexes(passages: readonly ScoredPassage[], indexes: readonly number[]): ScoredPassage[] {
  const seen = new Set<number>();
  const ranked: ScoredPassage[] = [];
  for (const index of indexes) {
    if (!Number.isInteger(index) || index < 0 || index >= passages.length || seen.has(index)) continue;
    seen.add(index);
    ranked.push(passages[index] as ScoredPassage);
  }
  return [...ranked, ...passages.filter((_, index) => !seen.has(index))];
}

/** The chat reranker's instruction; the passages and the question follow it. */
const chatInstruction =
  'You rank passages by how well they answer a question. Answer with only a JSON array of the passage numbers, most relevant first, for example [3, 1, 2].';

/**
 * A cross-encoder or LLM reranker reached over HTTP (`retrieval.reranker`). `api: rerank` posts
 * `{model, query, documents, top_n}` to `{baseUrl}/rerank` and orders by the answer's `results[].index`; `api: chat`
 * posts one request to `{baseUrl}/chat/completions` listing the numbered passages and the question, and orders by
 * the JSON array of numbers answered. The key of `apiKeyEnv` (a declared credential bound to the base URL's host) is
 * read at call time and sent only there: redirects are refused. It never throws for the endpoint's failures (time
 * limit, HTTP error, refused connection, malformed answer): it keeps the order it was given and reports
 * `failed (<cause>)`; the cause names the host, never the key.
 * @throws LlmopsError `invalid_input` (at construction) when `apiKeyEnv` is not a declared credential bound to the host.
 */
export class HttpPassageReranker implements ModelPassageReranker {
  private readonly spec: ModelRerankerSpec;
  private readonly options: HttpPassageRerankerOptions;
  private readonly send: UpstreamRequester;
  private readonly url: URL;

  constructor(spec: ModelRerankerSpec, options: HttpPassageRerankerOptions) {
    const field = options.field ?? 'pipeline.retrieval.reranker';
    if (spec.apiKeyEnv)
      options.credentials.check({ variable: spec.apiKeyEnv, url: spec.baseUrl, field: `${field}.apiKeyEnv` });
    this.spec = spec;
    this.options = options;
    this.send = upstreamRequester({ fetch: options.fetch, pools: options.pools, redirect: 'error' });
    const base = spec.baseUrl.replace(/\/+$/, '');
    this.url = new URL(`${base}/${spec.api === 'rerank' ? 'rerank' : 'chat/completions'}`);
  }

  async rerank(
    input: { query: string; passages: readonly ScoredPassage[]; k: number },
    options: CallOptions = {},
  ): Promise<{ passages: ScoredPassage[]; report: ModelRerankReport }> {
    const report = (outcome: ModelRerankReport['outcome']): ModelRerankReport => ({
      api: this.spec.api,
      model: this.spec.model,
      host: this.url.host,
      outcome,
    });
    if (input.passages.length === 0) return { passages: [], report: report('ok') };
    const timeout = AbortSignal.timeout(this.spec.timeoutMs);
    try {
      const indexes = await this.call(input, options.signal ? AbortSignal.any([timeout, options.signal]) : timeout);
      return { passages: orderByIndexes(input.passages, indexes), report: report('ok') };
    } catch (error) {
      if (options.signal?.aborted) throw error;
      return {
        passages: [...input.passages],
        report: report(`failed (${timeout.aborted ? `took longer than ${this.spec.timeoutMs} ms` : causeOf(error)})`),
      };
    }
  }

  /** One call to the endpoint: the 0-based indexes of the passages, best first. */
  private async call(
    input: { query: string; passages: readonly ScoredPassage[]; k: number },
    signal: AbortSignal,
  ): Promise<number[]> {
    const documents = input.passages.map(rerankDocumentOf);
    const body =
      this.spec.api === 'rerank'
        ? { model: this.spec.model, query: input.query, documents, top_n: Math.min(input.k, documents.length) }
        : {
            model: this.spec.model,
            temperature: 0,
            messages: [
              { role: 'system', content: chatInstruction },
              {
                role: 'user',
                content: `${documents.map((text, index) => `[${index + 1}] ${text}`).join('\n\n')}\n\nQuestion: ${input.query}`,
              },
            ],
          };
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.spec.apiKeyEnv) {
      const secret = this.options.env[this.spec.apiKeyEnv]?.trim();
      if (!secret) throw new LlmopsError('invalid_input', `environment variable ${this.spec.apiKeyEnv} is not set`);
      headers.authorization = `Bearer ${secret}`;
    }
    const answer = await this.send({
      method: 'POST',
      url: this.url,
      headers,
      body: JSON.stringify(body),
      signal,
    });
    if (answer.status < 200 || answer.status >= 300) throw new LlmopsError('upstream_error', `HTTP ${answer.status}`);
    let json: unknown;
    try {
      json = JSON.parse(answer.text);
    } catch {
      throw new LlmopsError('upstream_error', 'the answer is not JSON');
    }
    if (this.spec.api === 'rerank') {
      const parsed = rerankAnswerSchema.safeParse(json);
      if (!parsed.success) throw new LlmopsError('upstream_error', 'the answer has no results[].index');
      return parsed.data.results.map((result) => result.index);
    }
    const parsed = chatAnswerSchema.safeParse(json);
    if (!parsed.success) throw new LlmopsError('upstream_error', 'the answer has no choices[0].message');
    return parseChatRanking(parsed.data.choices[0]?.message.content ?? '', documents.length);
  }
}

/** A short cause for the report: the HTTP status or the wire problem; never a header or a key. */
function causeOf(error: unknown): string {
  if (LlmopsError.isInstance(error)) return error.message;
  return 'network error or redirect';
}
