import { createHash } from 'node:crypto';
import { chunkingSchema, systemClock } from '@llmops/kernel';
import type { CallOptions, Clock, Embedder } from '@llmops/kernel';
import { countTokens, splitSentences } from '@llmops/providers';
import type { ChunkingSpec } from '@llmops/kernel';
import { joinHyphenatedLineBreaks } from '../../domain/retrieval/hyphenated-line-breaks.js';
import { chunkByStructure } from '../../domain/retrieval/structure-chunker.js';
import { chunkDocument } from '../../domain/retrieval/text-chunker.js';
import type { ChunkingTools } from '../../domain/retrieval/text-chunker.js';
import type { CorpusDocument, Passage } from '../../domain/retrieval/passage.js';
import { detectPii, redactPii } from '../../domain/guardrails/pii-detectors.js';
import type { CorpusSource, IndexStore, StoredIndex } from '../../ports.js';
import { CorpusIndex, passageEmbeddingText } from './corpus-index.js';

/**
 * The format of stored indexes this code writes; part of every key, so a format change rebuilds.
 * 3: structure chunking packs the entries of a section (passages of format 2 are cut differently).
 * 4: words hyphenated at line ends by `man` are joined before chunking; a NAME line listing several
 * names gives the first as the title; an option parted from its description by a blank line is one entry.
 * 5: the stemmer of issue 11 (-ly only off adverbs, -ing/-ed only after a vowel, -eed): the stored vectors of
 * `offline/lexical` hash stems, so those of format 4 would not meet the new stems of a query.
 */
export const storedIndexFormat = 5;

/** What to index: a corpus location, how to chunk it (the model spec's `retrieval.chunking`), and the embedder for hybrid retrieval. */
export interface IndexRequest {
  corpus: string;
  chunking: ChunkingSpec;
  embedder?: Embedder;
  /** Replace personal data with placeholders before chunking (the spec's `retrieval.redactPii`); see {@link redactDocument}. */
  redactPii?: boolean;
}

/**
 * A document with the personal data of its text and title replaced by placeholders (`[REDACTED_EMAIL]`), found by
 * the guardrails' PII detector (every kind, no allow list).
 */
export function redactDocument(document: CorpusDocument): CorpusDocument {
  const redact = (text: string) => redactPii(text, detectPii(text));
  return { ...document, text: redact(document.text), ...(document.title ? { title: redact(document.title) } : {}) };
}

/**
 * How a document read outside a corpus is cut (an agent's retrieval tool, `llmops chat --context-file`): as the
 * shipped improved RAG model cuts its corpus, structure chunks of at most 160 tokens, so headings become each
 * passage's title and section.
 */
export const documentChunking = chunkingSchema.parse({ strategy: 'structure', maxTokens: 160, overlapTokens: 0 });

/** The token counter and sentence splitter every chunking strategy uses. */
export const chunkingTools: ChunkingTools = { countTokens: (text: string) => countTokens(text), splitSentences };

/** Cuts one document with the chunking strategy of a request. */
export function chunkWith(document: CorpusDocument, chunking: ChunkingSpec, tools: ChunkingTools): Passage[] {
  const readable = { ...document, text: joinHyphenatedLineBreaks(document.text) };
  return chunking.strategy === 'structure'
    ? chunkByStructure(readable, { maxTokens: chunking.maxTokens, overlapTokens: chunking.overlapTokens }, tools)
    : chunkDocument(readable, { chunkTokens: chunking.maxTokens, overlapTokens: chunking.overlapTokens }, tools);
}

/** An index ready to search, with its key and whether this call built it. */
export interface IndexOutcome {
  index: CorpusIndex;
  key: string;
  contentHash: string;
  /** True when this call chunked the corpus (no stored index had its key). */
  built: boolean;
}

/** Passages are embedded in batches of this many texts (OpenAI accepts up to 2,048 inputs per call). */
const embeddingBatchSize = 256;

function embedderId(embedder: Embedder | undefined): string {
  return embedder ? `${embedder.provider}/${embedder.modelId}` : 'none';
}

/**
 * Builds retrieval indexes once per corpus content and keeps them: the key of an index is a hash
 * of the corpus content, the chunking settings, the embedder and the index format, so an
 * unchanged corpus is loaded from the {@link IndexStore} (never re-chunked or re-embedded) and any
 * changed file gives a new key and a rebuild. Indexes are also kept in memory, one per corpus and
 * settings, and concurrent requests for the same index share one build.
 */
export class CorpusIndexer {
  private readonly source: CorpusSource;
  private readonly store: IndexStore;
  private readonly clock: Clock;
  private readonly memory = new Map<string, { key: string; outcome: Promise<IndexOutcome> }>();

  constructor(options: { source: CorpusSource; store: IndexStore; clock?: Clock }) {
    this.source = options.source;
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
  }

  /** The cheap fingerprint of a corpus (see {@link CorpusSource.fingerprint}). */
  fingerprint(corpus: string): Promise<string> {
    return this.source.fingerprint(corpus);
  }

  /**
   * The index of a corpus as it is now: from memory, from the store, or built (and stored).
   * @throws LlmopsError `invalid_input` for a missing or empty corpus; the embedder's and store's errors.
   */
  async index(request: IndexRequest, options: CallOptions = {}): Promise<IndexOutcome> {
    const snapshot = await this.source.read(request.corpus);
    const { strategy, maxTokens, overlapTokens } = request.chunking;
    // Redaction is added to the key only when on, so indexes built before it existed keep their keys.
    const settingsId = `${request.corpus}\0${strategy}\0${maxTokens}\0${overlapTokens}\0${embedderId(request.embedder)}${request.redactPii ? '\0redact-pii' : ''}`;
    const key = createHash('sha256')
      .update(`${storedIndexFormat}\0${snapshot.contentHash}\0${settingsId.slice(request.corpus.length + 1)}`)
      .digest('hex')
      .slice(0, 40);
    const cached = this.memory.get(settingsId);
    if (cached?.key === key) return { ...(await cached.outcome), built: false };
    const outcome = this.loadOrBuild(
      { request, key, contentHash: snapshot.contentHash, documents: snapshot.documents },
      options,
    );
    this.memory.set(settingsId, { key, outcome });
    try {
      return await outcome;
    } catch (error) {
      if (this.memory.get(settingsId)?.outcome === outcome) this.memory.delete(settingsId);
      throw error;
    }
  }

  private async loadOrBuild(
    input: {
      request: IndexRequest;
      key: string;
      contentHash: string;
      documents: Awaited<ReturnType<CorpusSource['read']>>['documents'];
    },
    options: CallOptions,
  ): Promise<IndexOutcome> {
    const { request, key, contentHash } = input;
    const id = embedderId(request.embedder);
    const stored = await this.store.load(key);
    if (stored?.formatVersion === storedIndexFormat) {
      const vectors = request.embedder ? stored.embeddings?.[id] : undefined;
      if (!request.embedder || vectors) {
        const index = new CorpusIndex(
          stored.passages,
          request.embedder && vectors ? { embedder: request.embedder, vectors } : undefined,
        );
        return { index, key, contentHash, built: false };
      }
    }
    const documents = request.redactPii ? input.documents.map(redactDocument) : input.documents;
    const passages: Passage[] = documents.flatMap((document) => chunkWith(document, request.chunking, chunkingTools));
    let vectors: number[][] | undefined;
    if (request.embedder) {
      vectors = [];
      for (let start = 0; start < passages.length; start += embeddingBatchSize) {
        const batch = passages.slice(start, start + embeddingBatchSize).map(passageEmbeddingText);
        const result = await request.embedder.embed(batch, options);
        vectors.push(...result.embeddings);
      }
    }
    const record: StoredIndex = {
      formatVersion: storedIndexFormat,
      key,
      corpus: request.corpus,
      contentHash,
      createdAt: this.clock.now(),
      chunking: { chunkTokens: request.chunking.maxTokens, overlapTokens: request.chunking.overlapTokens },
      passages,
      ...(vectors ? { embeddings: { [id]: vectors } } : {}),
      ...(request.redactPii ? { piiRedacted: true } : {}),
    };
    await this.store.save(record);
    const index = new CorpusIndex(
      passages,
      request.embedder && vectors ? { embedder: request.embedder, vectors } : undefined,
    );
    return { index, key, contentHash, built: true };
  }
}

/**
 * The index of one pipeline's corpus, kept fresh: at most every `refreshIntervalMs` it compares
 * the corpus fingerprint (file sizes and modification times) and, when it changed, asks the
 * indexer again (which rebuilds only if the content hash changed). Concurrent callers share the
 * in-flight check.
 */
export class LiveCorpusIndex {
  private readonly indexer: CorpusIndexer;
  private readonly request: IndexRequest;
  private readonly refreshIntervalMs: number;
  private readonly clock: Clock;
  private current: Promise<IndexOutcome> | undefined;
  private fingerprint: string | undefined;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private checking: Promise<void> | undefined;
  private reported = new WeakSet<IndexOutcome>();

  constructor(options: { indexer: CorpusIndexer; request: IndexRequest; refreshIntervalMs?: number; clock?: Clock }) {
    this.indexer = options.indexer;
    this.request = options.request;
    this.refreshIntervalMs = options.refreshIntervalMs ?? 2_000;
    this.clock = options.clock ?? systemClock;
  }

  /** The index to search now; `built` is true only for the one call that triggered a build. */
  async get(options: CallOptions = {}): Promise<IndexOutcome> {
    if (this.current === undefined || this.clock.now() - this.checkedAt >= this.refreshIntervalMs) {
      this.checking ??= this.refresh(options).finally(() => {
        this.checking = undefined;
      });
      await this.checking;
    }
    const outcome = await (this.current as Promise<IndexOutcome>);
    if (!outcome.built || this.reported.has(outcome)) return { ...outcome, built: false };
    this.reported.add(outcome);
    return outcome;
  }

  private async refresh(options: CallOptions): Promise<void> {
    this.checkedAt = this.clock.now();
    const fingerprint = await this.indexer.fingerprint(this.request.corpus);
    if (this.current !== undefined && fingerprint === this.fingerprint) return;
    const next = this.indexer.index(this.request, options);
    try {
      await next;
    } catch (error) {
      // Keep serving the last good index when a refresh fails; fail only when there is none.
      if (this.current === undefined) throw error;
      return;
    }
    this.fingerprint = fingerprint;
    this.current = next;
  }
}
