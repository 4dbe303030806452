import { z } from 'zod';

/** Bounds of a model reranker's time limit per query, in ms (`retrieval.reranker.timeoutMs`). */
export const modelRerankerTimeoutBounds = { min: 1, max: 60_000, default: 2_000 } as const;

const { min, max } = modelRerankerTimeoutBounds;

/**
 * A cross-encoder or LLM reranker reached over HTTP, run after the first stage (and the lexical rerank when
 * `rerank: lexical`) over the top `candidates`; it decides the order of the top `k`. `api: rerank` speaks the
 * `POST {baseUrl}/rerank` format of vLLM, TEI, Infinity, Jina and Cohere (proxied by LiteLLM); `api: chat` asks any
 * OpenAI-compatible `/chat/completions` for the passage numbers in order. Off when absent. When it fails (time
 * limit, HTTP error, malformed answer) retrieval keeps the order it had before it.
 */
export const modelRerankerSchema = z.strictObject({
  /** `rerank`: `POST {baseUrl}/rerank` → `{results: [{index, relevance_score}]}`; `chat`: `POST {baseUrl}/chat/completions`. */
  api: z.enum(['rerank', 'chat'], { error: 'expected api: rerank (a /rerank endpoint) or chat (/chat/completions)' }),
  /** The endpoint's base URL (`http://127.0.0.1:8000/v1`), http or https, without user info. */
  baseUrl: z.string().refine(
    (text) => {
      try {
        const url = new URL(text);
        return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
      } catch {
        return false;
      }
    },
    { error: 'expected an http(s) base URL without user info, for example http://127.0.0.1:8000/v1' },
  ),
  /** The reranking model the endpoint serves (`BAAI/bge-reranker-v2-m3`, `llama3.1:8b`). */
  model: z.string().min(1, 'expected the reranker model name, for example BAAI/bge-reranker-v2-m3'),
  /** The variable holding the endpoint's key, a declared credential bound to the base URL's host; absent: no key. */
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name, for example LLMOPS_PROVIDER_RERANK')
    .optional(),
  /** Most time one rerank may take, in ms; past it the previous order is kept. */
  timeoutMs: z
    .number()
    .int(`expected a whole number of ms from ${min} to ${max}`)
    .min(min, `expected a whole number of ms from ${min} to ${max}`)
    .max(max, `expected a whole number of ms from ${min} to ${max}`)
    .default(modelRerankerTimeoutBounds.default),
});

/** A model reranker's settings, defaults filled in. */
export type ModelRerankerSpec = z.output<typeof modelRerankerSchema>;
