import { LlmopsError } from '@llmops/kernel';
import type { CachePolicy, ChatCompletionChunk, Clock, Embedder } from '@llmops/kernel';
import { cacheKeysOf } from '../domain/cache/cache-key.js';
import type { CacheKeys } from '../domain/cache/cache-key.js';
import type { ResponseCacheStore } from '../ports.js';
import {
  answerOfCompletion,
  chunksOfAnswer,
  completionOfAnswer,
  readCachedAnswer,
  StreamedAnswer,
} from './cached-answer.js';
import type { CachedAnswer } from './cached-answer.js';
import { cachedEmbeddingOf, embeddingOfCached, readCachedEmbedding } from './cached-embedding.js';
import type { ServedChatCompletion } from './pipeline.js';
import type { ServedEmbeddingResponse } from './served-embedding-request.js';
import { SemanticCacheIndex } from './semantic-cache-index.js';
import type { ChunkStream, ServingStep, ServingStepContext, ServingStepFactory, StepCall } from './serving-step.js';
import type { TraceAttributes } from './trace-recorder.js';

/** Whether a served request was answered from the response cache (`bypass`: the caller asked not to look). */
export type CacheStatus = 'hit' | 'miss' | 'bypass';

/**
 * What the caller asks of the cache for one request: `use` (look up, store a miss), `refresh` (do not look up, store
 * the fresh answer: `x-llmops-cache: bypass` or `cache-control: no-cache`), `no-store` (neither:
 * `cache-control: no-store`).
 */
export type CacheDirective = 'use' | 'refresh' | 'no-store';

/** The response cache a deployment gives serving: where answers are kept, and who hears of its failures. */
export interface ResponseCacheSettings {
  store: ResponseCacheStore;
  /** Told of every backend failure (the request goes on without the cache); must not throw. */
  onError?: (error: LlmopsError) => void;
}

/** Settings of {@link CacheStep}. */
export interface CacheStepOptions extends ResponseCacheSettings {
  /** The model version's cache policy (TTL, namespace, semantic settings). */
  policy: CachePolicy;
  clock: Clock;
  /** The embedder of the semantic cache; required when `policy.semantic.enabled`. */
  embedder?: Embedder;
}

/** What every kind of cached answer records: its cost when it was generated, and when it was stored. */
interface StoredFacts {
  costUsd: number | null;
  storedAt: number;
}

/** What the lookup of one request found. */
interface Lookup<Answer extends StoredFacts = CachedAnswer> {
  keys: CacheKeys;
  status: CacheStatus;
  answer?: Answer;
  /** Whether the answer the chain gives is to be stored. */
  store: boolean;
  /** The question's embedding (semantic cache, single-turn requests). */
  vector?: number[];
}

/** The hash part of a key, shortened, for spans: enough to tell entries apart, never the request. */
function keyLabel(key: string): string {
  const hash = key.slice(key.lastIndexOf(':') + 1);
  return `${key.slice(0, key.lastIndexOf(':') + 1)}${hash.slice(0, 16)}`;
}

/**
 * The response cache as a serving step (inside the guardrails: the input checks run before a lookup, so the key is
 * made of the checked conversation, and the output checks run on every answer, a replayed one included). An exact hit
 * is a request with the same key (`cacheKeysOf`: the model version, the namespace, the messages, the prompt variables
 * and the effective parameters); with the semantic cache on, a single-turn miss is also answered by the cached answer
 * of the most similar question of the same context when its cosine reaches the threshold. A miss is stored once the
 * answer is whole: a completion at once, a stream only when it ran to its end (never one cut short by a guardrail, an
 * error or the client). A hit is served whole or as a stream, whichever the request asks for, with this response's id
 * and creation time. Embeddings calls are cached by the same step (`wrapEmbed`: exact matches of the texts and
 * `dimensions`, stored as floats). The store failing never fails a request: the cache is skipped and the failure
 * reported.
 */
export class CacheStep implements ServingStep {
  readonly name = 'cache';
  private readonly options: CacheStepOptions;
  private readonly ttlMs: number;
  private readonly semanticIndex: SemanticCacheIndex | undefined;

  /** @throws LlmopsError `invalid_input` when the semantic cache is on and no embedder is given. */
  constructor(options: CacheStepOptions) {
    this.options = options;
    this.ttlMs = options.policy.ttlSeconds * 1000;
    if (options.policy.semantic?.enabled) {
      if (!options.embedder)
        throw new LlmopsError('invalid_input', 'cache.semantic is enabled but no embedder was given to the cache step');
      this.semanticIndex = new SemanticCacheIndex();
    }
  }

  private reportError(error: unknown): LlmopsError {
    const failure = LlmopsError.fromUnknown(error);
    try {
      this.options.onError?.(failure);
    } catch {
      // Reporting is best effort.
    }
    return failure;
  }

  /** The semantic match of a single-turn miss: the cached answer of the closest question, with its similarity. */
  private async semanticLookup<Answer>(
    call: StepCall<unknown>,
    keys: CacheKeys,
    read: (value: string) => Answer | undefined,
  ): Promise<{ vector?: number[]; answer?: Answer; similarity?: number }> {
    const semantic = this.options.policy.semantic;
    if (!this.semanticIndex || !semantic || !keys.singleTurn || !this.options.embedder) return {};
    const signal = call.options.signal;
    const embedded = await this.options.embedder.embed([keys.singleTurn.question], signal ? { signal } : {});
    const vector = embedded.embeddings[0];
    if (!vector) return {};
    const match = this.semanticIndex.nearest(keys.singleTurn.contextKey, vector, {
      threshold: semantic.threshold,
      now: this.options.clock.now(),
    });
    if (!match) return { vector };
    const stored = await this.options.store.get(match.key);
    const answer = stored === undefined ? undefined : read(stored);
    return answer ? { vector, answer, similarity: match.similarity } : { vector };
  }

  /** The keys of a call: a chat answer's, or (with `embedding`) an embeddings answer's. */
  private keysOf(call: StepCall<unknown>, embedding?: { dimensions?: number | undefined }): CacheKeys {
    return cacheKeysOf({
      model: call.model,
      ...(this.options.policy.namespace ? { namespace: this.options.policy.namespace } : {}),
      request: call.request,
      ...(embedding ? { embedding } : {}),
    });
  }

  /** Looks a chat request up, and records a hit's citations, finish and retrieval on the request's recorder. */
  private async lookupAnswer(call: StepCall<unknown>): Promise<Lookup> {
    const lookup = await this.lookup(call, { keys: this.keysOf(call), read: readCachedAnswer, semantic: true });
    const facts = call.options.recorder.facts;
    if (lookup.answer) {
      facts.citations = lookup.answer.citations;
      facts.finishReason = lookup.answer.finishReason;
      if (lookup.answer.retrieved && facts.cache) facts.cache.retrieved = lookup.answer.retrieved;
    }
    return lookup;
  }

  /**
   * Looks a request up in the `cache` span, and records the status on the request's recorder. `read` parses a stored
   * value as the kind of answer the call wants (a chat answer, an embeddings answer); `semantic` allows a semantic match.
   */
  private async lookup<Answer extends StoredFacts>(
    call: StepCall<unknown>,
    how: { keys: CacheKeys; read: (value: string) => Answer | undefined; semantic: boolean },
  ): Promise<Lookup<Answer>> {
    const recorder = call.options.recorder;
    const span = recorder.start('cache');
    const { keys, read } = how;
    const directive = call.options.cacheDirective ?? 'use';
    const attributes: TraceAttributes = { 'cache.backend': this.options.store.name, 'cache.key': keyLabel(keys.exact) };
    let lookup: Lookup<Answer>;
    if (typeof call.request.n === 'number' && call.request.n > 1) {
      // An entry holds one choice: a request for several is neither answered from the cache nor stored.
      lookup = { keys, status: 'bypass', store: false };
      attributes['cache.skipped'] = 'n > 1';
    } else if (directive !== 'use') {
      lookup = { keys, status: 'bypass', store: directive === 'refresh' };
      attributes['cache.directive'] = directive;
    } else {
      try {
        const stored = await this.options.store.get(keys.exact);
        const answer = stored === undefined ? undefined : read(stored);
        if (answer) {
          lookup = { keys, status: 'hit', answer, store: false };
          attributes['cache.match'] = 'exact';
        } else {
          const semantic = how.semantic ? await this.semanticLookup(call, keys, read) : {};
          lookup = {
            keys,
            status: semantic.answer ? 'hit' : 'miss',
            ...(semantic.answer ? { answer: semantic.answer } : {}),
            ...(semantic.vector ? { vector: semantic.vector } : {}),
            store: !semantic.answer,
          };
          if (semantic.similarity !== undefined) {
            attributes['cache.match'] = 'semantic';
            attributes['cache.similarity'] = semantic.similarity;
          }
        }
      } catch (error) {
        // The backend failed: answer without the cache (and do not wait on it again to store).
        attributes['error.code'] = this.reportError(error).code;
        lookup = { keys, status: 'miss', store: false };
      }
    }
    attributes['cache.result'] = lookup.status;
    if (lookup.answer) {
      attributes['cache.age_ms'] = Math.max(0, this.options.clock.now() - lookup.answer.storedAt);
      if (lookup.answer.costUsd !== null) attributes['cache.saved_cost_usd'] = lookup.answer.costUsd;
    }
    span.end(attributes);
    const facts = recorder.facts;
    facts.cache = {
      status: lookup.status,
      ...(lookup.answer && lookup.answer.costUsd !== null ? { savedCostUsd: lookup.answer.costUsd } : {}),
    };
    // No model was called: nothing was spent.
    if (lookup.answer) facts.costUsd = lookup.answer.costUsd === null ? null : 0;
    return lookup;
  }

  /** Stores a whole answer (and indexes its question for the semantic cache); a failing store is reported, not thrown. */
  private async save(lookup: Lookup<StoredFacts>, answer: StoredFacts): Promise<void> {
    try {
      await this.options.store.set(lookup.keys.exact, JSON.stringify(answer), this.ttlMs);
      if (this.semanticIndex && lookup.vector && lookup.keys.singleTurn) {
        this.semanticIndex.add(lookup.keys.singleTurn.contextKey, {
          vector: lookup.vector,
          key: lookup.keys.exact,
          expiresAt: this.options.clock.now() + this.ttlMs,
        });
      }
    } catch (error) {
      this.reportError(error);
    }
  }

  async wrapComplete(call: StepCall<ServedChatCompletion>): Promise<ServedChatCompletion> {
    const lookup = await this.lookupAnswer(call);
    if (lookup.answer) return completionOfAnswer(lookup.answer, call.response);
    const completion = await call.next();
    if (lookup.store) {
      const { costUsd, retrieval } = call.options.recorder.facts;
      await this.save(
        lookup,
        answerOfCompletion(completion, { costUsd, retrieval, storedAt: this.options.clock.now() }),
      );
    }
    return completion;
  }

  /**
   * Embeddings: the same texts for the same version (and `dimensions`) get the stored vectors, with no embedder call;
   * never a semantic match (a near text has other vectors).
   */
  async wrapEmbed(call: StepCall<ServedEmbeddingResponse>): Promise<ServedEmbeddingResponse> {
    const keys = this.keysOf(call, { dimensions: call.options.embedding?.dimensions });
    const lookup = await this.lookup(call, { keys, read: readCachedEmbedding, semantic: false });
    if (lookup.answer) return embeddingOfCached(lookup.answer, call.response);
    const response = await call.next();
    const cached = lookup.store ? cachedEmbeddingOf(response, { storedAt: this.options.clock.now() }) : undefined;
    if (cached) await this.save(lookup, cached);
    return response;
  }

  async wrapStream(call: StepCall<ChunkStream>): Promise<ChunkStream> {
    const lookup = await this.lookupAnswer(call);
    if (lookup.answer) return replay(lookup.answer, call);
    const inner = await call.next();
    return lookup.store ? this.recorded(call, lookup, inner) : inner;
  }

  /** The inner chunks unchanged; their answer is stored once they ran to their end. */
  private async *recorded(
    call: StepCall<ChunkStream>,
    lookup: Lookup,
    inner: ChunkStream,
  ): AsyncGenerator<ChatCompletionChunk> {
    const answer = new StreamedAnswer();
    for await (const chunk of inner) {
      answer.observe(chunk);
      yield chunk;
    }
    // Reached only when the stream completed: a consumer that stopped early (a guardrail, the client) never gets here.
    const facts = call.options.recorder.facts;
    await this.save(
      lookup,
      answer.answer({
        usage: facts.usage,
        costUsd: facts.costUsd,
        retrieval: facts.retrieval,
        storedAt: this.options.clock.now(),
      }),
    );
  }
}

/** A cached answer as the chunks of this request's stream. */
async function* replay(answer: CachedAnswer, call: StepCall<ChunkStream>): AsyncGenerator<ChatCompletionChunk> {
  yield* chunksOfAnswer(answer, call.response, call.options.includeUsage);
}

/** What {@link cacheStepFactory} needs besides the store: how to build the semantic cache's embedder. */
export interface CacheStepFactoryOptions extends ResponseCacheSettings {
  /** Builds the embedder of a spec's `cache.semantic.embedder` (`offline/lexical` by default). */
  embedderFor: (spec: string) => Embedder;
}

/** The `cache` step of a model version whose spec has `cache.enabled` (the default), over one shared store. */
export function cacheStepFactory(options: CacheStepFactoryOptions): ServingStepFactory {
  return {
    name: 'cache',
    create: (context: ServingStepContext): ServingStep | undefined => {
      const policy = context.model.cache;
      if (!policy?.enabled) return undefined;
      const semantic = policy.semantic;
      return new CacheStep({
        store: options.store,
        ...(options.onError ? { onError: options.onError } : {}),
        policy,
        clock: context.clock,
        ...(semantic?.enabled ? { embedder: options.embedderFor(semantic.embedder) } : {}),
      });
    },
  };
}
