import type { CallOptions, ModelVersionSpec, PipelineSpec } from '@llmops/kernel';
import type { ApiKeyLimits, ApiKeyRecord } from './domain/keys/api-key.js';
import type { PipelineTrace } from './application/pipeline.js';
import type { CorpusDocument, Passage } from './domain/retrieval/passage.js';

/** A message of a pinned chat prompt. */
export interface PromptMessage {
  role: 'system' | 'developer' | 'user' | 'assistant';
  content: string;
}

/**
 * A prompt version pinned by a model version: its reference (`support-prompt/3`) and its template,
 * a text (used as the system message) or chat messages, with `{{variable}}` placeholders.
 * `{{context}}` (rag) and `{{question}}` (the last user message) are filled in by the pipeline.
 */
export interface PinnedPrompt {
  reference: string;
  template: string | readonly PromptMessage[];
}

/**
 * A model version's pipeline as served: the spec's pipeline (the kernel's {@link PipelineSpec}, one
 * definition) with its prompt reference replaced by the pinned prompt, absent when there is none.
 */
export type ServablePipeline<Pipeline extends PipelineSpec = PipelineSpec> = Pipeline extends unknown
  ? Omit<Pipeline, 'prompt'> & { prompt?: PinnedPrompt }
  : never;

/**
 * What serving needs of a registered model version: its spec as the kernel's schema gives it
 * (defaults filled in), the concrete version a reference resolved to, and the pinned prompt in the
 * pipeline. The app maps its registry's resolution into this with `toServableModel` (serving never
 * imports the registry).
 */
export type ServableModel = Omit<ModelVersionSpec, 'pipeline'> & {
  /** The concrete version a reference resolved to. */
  version: number;
  pipeline: ServablePipeline;
};

/** A registered model as `GET /v1/models` lists it. */
export interface ServableModelListing {
  name: string;
  latestVersion: number;
  /** Alias → version, for example `{champion: 3, challenger: 4}`. */
  aliases: Readonly<Record<string, number>>;
  /** When the model was registered, in ms since the epoch. */
  createdAt?: number;
}

/** The port through which serving resolves model references; the app implements it with the registry. */
export interface ModelResolver {
  /**
   * Resolves `name@alias`, `name/7` or `name` to a version.
   * @throws LlmopsError `not_found` for an unknown model, alias or version; `invalid_input` for a malformed reference.
   */
  resolve(reference: string): Promise<ServableModel>;
  /** The registered models with their aliases. */
  list(): Promise<ServableModelListing[]>;
}

/** A corpus as read at one moment: its documents and the hash of its content. */
export interface CorpusSnapshot {
  /** The corpus location as given in the spec. */
  location: string;
  /** SHA-256 over every file's relative path and bytes: the same content always gives the same hash. */
  contentHash: string;
  documents: CorpusDocument[];
}

/** Reads corpora (the file system in production). */
export interface CorpusSource {
  /**
   * Reads every document of a corpus.
   * @throws LlmopsError `invalid_input` when the location does not exist or holds no readable document.
   */
  read(location: string): Promise<CorpusSnapshot>;
  /** A cheap fingerprint (sizes and modification times) that changes whenever the content may have changed. */
  fingerprint(location: string): Promise<string>;
}

/** A built retrieval index, as persisted. */
export interface StoredIndex {
  /** The format of this record; a store drops records of another format. */
  formatVersion: number;
  /** The key the index was built for: the corpus hash combined with the chunking settings. */
  key: string;
  corpus: string;
  contentHash: string;
  createdAt: number;
  chunking: { chunkTokens: number; overlapTokens: number };
  passages: Passage[];
  /** Passage vectors of the hybrid embedder, when one is configured: by embedder id, in passage order. */
  embeddings?: Readonly<Record<string, number[][]>>;
  /** True when personal data was replaced by placeholders before chunking (`retrieval.redactPii`). */
  piiRedacted?: boolean;
}

/** Where built indexes are kept between runs (`.llmops/indexes/` in production). */
export interface IndexStore {
  /** The index stored under a key, or `undefined`. */
  load(key: string): Promise<StoredIndex | undefined>;
  /** Stores (or replaces) the index under its key. */
  save(index: StoredIndex): Promise<void>;
}

/** The verdict of a moderation endpoint or judge on one text. */
export interface ModerationResult {
  flagged: boolean;
  /** Categories flagged (names as the moderator gives them, for example `violence/graphic`), with scores when known. */
  categories: Array<{
    category: string;
    score?: number;
    /** What in the moderator's own terms gave the category (`llama_guard.S9`); `moderation` when absent. */
    rule?: string;
  }>;
}

/** What a moderation call is told besides the text. */
export interface ModerationCallOptions extends CallOptions {
  /** Whose text it is: the user's (input, the default) or the assistant's (the answer). */
  role?: 'user' | 'assistant';
  /** For an answer: the user's message it replies to, when known (guards that judge a turn in its conversation). */
  question?: string;
}

/** A moderation service: an OpenAI-compatible moderation endpoint, an LLM judge or a Llama Guard model. */
export interface ModerationClient {
  /** A short name for traces, for example `openai/omni-moderation-latest`. */
  readonly name: string;
  /**
   * Classifies a text.
   * @throws LlmopsError `upstream_error`, `timeout`, `unauthorized`… when the service fails.
   */
  moderate(text: string, options?: ModerationCallOptions): Promise<ModerationResult>;
}

/**
 * Where the traces of served requests go: MLflow's OTLP endpoint when the store is MLflow, the
 * embedded SQLite store otherwise. Serving never waits on it on a request's path: traces are
 * queued (bounded) and written in batches; a failing sink loses traces, never requests.
 */
export interface TraceSink {
  /**
   * Writes a batch of finished traces; `signal` aborts a write its queue gave up on (closing past its deadline).
   * @throws LlmopsError when the destination fails (the caller counts the batch as dropped).
   */
  write(traces: readonly PipelineTrace[], options?: { signal?: AbortSignal }): Promise<void>;
}

/** Filters of {@link TraceReader.list}. */
export interface TraceListOptions {
  /** Most traces returned, newest first; 100 by default, at most 1000. */
  limit?: number;
  /** Traces skipped before the page starts; 0 by default. */
  offset?: number;
  /** `name/version` for one version, or `name` for every version of a model. */
  model?: string;
  status?: 'ok' | 'error';
  /** Only requests a guardrail blocked (`true`), or only those it did not (`false`). */
  blocked?: boolean;
  /** Only traces that started at or after this time, in ms since the epoch. */
  since?: number;
}

/** Reads stored traces back, from the embedded store or from the MLflow experiment the trace sink writes to. */
export interface TraceReader {
  /**
   * The traces matching the filters, newest first.
   * @throws LlmopsError `invalid_input` for a limit or time that is not a number in range.
   */
  list(options?: TraceListOptions): Promise<PipelineTrace[]>;
  /** How many traces match the filters (the page of `limit` and `offset` aside). */
  count(options?: Omit<TraceListOptions, 'limit' | 'offset'>): Promise<number>;
  /** The trace with this id (32 hex characters), or `undefined`. */
  get(traceId: string): Promise<PipelineTrace | undefined>;
}

/** Changes {@link ApiKeyStore.update} applies to a key; absent fields stay. */
export type ApiKeyChanges = Partial<Pick<ApiKeyRecord, 'secretHash' | 'lastUsedAt' | 'revokedAt' | 'rotatedAt'>>;

/** Where API keys are kept (hashed): the embedded SQLite file, or a local one beside an MLflow store. */
export interface ApiKeyStore {
  /** @throws LlmopsError `conflict` when the id exists. */
  insert(record: ApiKeyRecord): Promise<void>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  /** Every key, revoked ones included, oldest first. */
  list(): Promise<ApiKeyRecord[]>;
  /** @throws LlmopsError `not_found` for an unknown id. */
  update(id: string, changes: ApiKeyChanges): Promise<void>;
  close(): void;
}

/** The key a served call is made with: its id (public) and its limits. */
export interface ServingCaller {
  keyId: string;
  limits: ApiKeyLimits;
}

/** Why a call was refused by {@link LimitCounters.admit}. */
export type LimitRefusal = 'rpm' | 'tpm' | 'budget_day' | 'budget_month';

/** What {@link LimitCounters.admit} decided. */
export type LimitDecision = { admitted: true } | { admitted: false; reason: LimitRefusal; retryAfterMs: number };

/** What a key spent in the current UTC day and month, in USD. */
export interface KeySpend {
  dayUsd: number;
  monthUsd: number;
}

/**
 * The counters behind per-key limits: request and token buckets and USD spent per day and month. In process by default
 * (spend kept in the key store's file); in Redis when replicas share them. Each call is atomic.
 */
export interface LimitCounters {
  /** Where the counters are (`memory`, `redis://host:port`), for messages; never a password. */
  readonly location: string;
  /** Takes one request from the key's request bucket unless a limit or budget refuses the call (then nothing is taken). */
  admit(caller: ServingCaller, nowMs: number): Promise<LimitDecision>;
  /** Charges an answer: its tokens to the token bucket (which may go into debt) and its cost to the day and month. */
  record(caller: ServingCaller, usage: { nowMs: number; tokens: number; costUsd: number }): Promise<void>;
  /** What each key spent in the windows of `nowMs`. */
  spend(keyIds: readonly string[], nowMs: number): Promise<Map<string, KeySpend>>;
  close(): Promise<void>;
}

/**
 * Where the response cache keeps answers: the in-process LRU (default), the embedded SQLite file, or Redis (shared by
 * replicas). Values are opaque text (the cache step's JSON); a store only keeps them until they expire.
 */
export interface ResponseCacheStore {
  /** The backend's name for traces and messages: `memory`, `sqlite` or `redis`. */
  readonly name: string;
  /**
   * The value stored under a key, or `undefined` when there is none or it expired.
   * @throws LlmopsError `unavailable` when the backend cannot be reached (the cache step then skips the cache).
   */
  get(key: string): Promise<string | undefined>;
  /**
   * Stores (or replaces) a value that expires after `ttlMs` milliseconds.
   * @throws LlmopsError `unavailable` when the backend cannot be reached.
   */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Releases the backend (connections, file handles); later calls fail. */
  close(): Promise<void>;
}

/**
 * Where a corpus's passage vectors are kept between processes, by the SHA-256 (hex) of each embedded text; one store
 * holds the vectors of one corpus and one set of weights.
 */
export interface PassageVectorStore {
  /** The vectors kept, or none when there are none or they cannot be used (never throws). */
  load(): Promise<Map<string, Float32Array>>;
  /** Replaces the vectors kept with these (never throws; a failed write is reported by the store). */
  save(vectors: ReadonlyMap<string, Float32Array>): Promise<void>;
}
