import type { CallOptions, RetrievalSpec } from '@llmops/kernel';
import { countTokens, splitSentences } from '@llmops/providers';
import { compressPassages } from '../../domain/retrieval/context-compressor.js';
import type { PassageCompression } from '../../domain/retrieval/context-compressor.js';
import { rerankLexically } from '../../domain/retrieval/lexical-reranker.js';
import type { ScoredPassage } from '../../domain/retrieval/passage.js';
import type { PassageScreen, PassageScreening } from '../passage-screen.js';
import type { TraceAttributes } from '../trace-recorder.js';
import type { CorpusIndex } from './corpus-index.js';

/**
 * A reranking stage: reorders the first stage's candidates for a query, best first. The lexical
 * reranker is built in; an LLM or cross-encoder reranker is another implementation, wired by the app.
 */
export interface PassageReranker {
  rerank(
    input: { query: string; candidates: readonly ScoredPassage[]; index: CorpusIndex },
    options?: CallOptions,
  ): Promise<ScoredPassage[]>;
}

/** The built-in deterministic reranker (see `rerankLexically`): IDF coverage, term proximity, field matches and the page the question names. */
export class LexicalReranker implements PassageReranker {
  async rerank(input: { query: string; candidates: readonly ScoredPassage[]; index: CorpusIndex }) {
    return rerankLexically(input.query, input.candidates, input.index.lexical);
  }
}

/** What a model reranker did to one query: which endpoint (host only, never a key) and whether its order was used. */
export interface ModelRerankReport {
  api: 'rerank' | 'chat';
  model: string;
  /** The host of the reranker's base URL (`127.0.0.1:8000`, `api.cohere.com`). */
  host: string;
  /** `ok`: the model's order decided the top `k`; `failed (<cause>)`: the order before it was kept. */
  outcome: 'ok' | `failed (${string})`;
}

/**
 * A model reranker's report as span attributes (`reranker`, `reranker.api`, `reranker.model`, `reranker.host`): the
 * `retrieve` span of a RAG request and the `tool_call` span of an agent's retrieval tool carry the same ones.
 */
export function modelRerankAttributes(report: ModelRerankReport | undefined): TraceAttributes {
  if (!report) return {};
  return {
    reranker: report.outcome,
    'reranker.api': report.api,
    'reranker.model': report.model,
    'reranker.host': report.host,
  };
}

/**
 * A cross-encoder or LLM reranker reached over HTTP (`retrieval.reranker`): it orders the passages it is given (the
 * candidates after the first stage and the lexical rerank) for a query. It never fails a retrieval: when the endpoint
 * does, it returns the passages in the order given, and says why in its report.
 */
export interface ModelPassageReranker {
  rerank(
    input: { query: string; passages: readonly ScoredPassage[]; k: number },
    options?: CallOptions,
  ): Promise<{ passages: ScoredPassage[]; report: ModelRerankReport }>;
}

/** What one retrieval did: the first stage's candidates, the top `k` after reranking, and the screened, compressed passages. */
export interface RetrievalOutcome {
  candidates: ScoredPassage[];
  ranked: ScoredPassage[];
  /** The top `k` the screen let through, compressed when compression is on. */
  passages: ScoredPassage[];
  /** What compression kept of each passage the screen let through; empty when compression is off. */
  compression: PassageCompression[];
  /** What the screen did to the ranked passages it flagged; empty without a screen. */
  screenings: PassageScreening[];
  /** What the model reranker did, when one is configured. */
  reranker?: ModelRerankReport;
}

/**
 * Retrieves the context of a question with a pipeline's retrieval settings: the first stage's
 * `candidates` (BM25F, fused with the embedder when configured), reranked (when a reranker is
 * given, then by the model reranker when one is given, which keeps the order before it when it fails) to the top `k`, screened whole as indexed (when a screen is given: a flagged passage is
 * dropped or quarantined before compression can cut it, see {@link PassageScreen}), then compressed
 * to the sentences and entries bearing on the question (when `compress.enabled`).
 */
export async function retrievePassages(
  input: {
    index: CorpusIndex;
    query: string;
    settings: RetrievalSpec;
    reranker?: PassageReranker;
    /** The model reranker of `retrieval.reranker`, run after `reranker` over all the candidates. */
    modelReranker?: ModelPassageReranker;
    screen?: PassageScreen;
  },
  options: CallOptions = {},
): Promise<RetrievalOutcome> {
  const { index, query, settings, reranker, modelReranker, screen } = input;
  if (query.trim() === '') return { candidates: [], ranked: [], passages: [], compression: [], screenings: [] };
  const depth = reranker || modelReranker ? settings.candidates : settings.k;
  const candidates = await index.search(query, { k: depth, ...(options.signal ? { signal: options.signal } : {}) });
  const first = reranker ? await reranker.rerank({ query, candidates, index }, options) : candidates;
  const modelled = modelReranker
    ? await modelReranker.rerank({ query, passages: first, k: settings.k }, options)
    : undefined;
  const ordered = modelled ? modelled.passages : first;
  const report = modelled ? { reranker: modelled.report } : {};
  const ranked = ordered.slice(0, settings.k);
  const screened = screen?.active ? screen.screen(ranked) : { passages: ranked, screenings: [] };
  if (!settings.compress.enabled) {
    return {
      candidates,
      ranked,
      passages: screened.passages,
      compression: [],
      screenings: screened.screenings,
      ...report,
    };
  }
  const compressed = compressPassages(query, screened.passages, {
    settings: { keepRatio: settings.compress.keepRatio, method: settings.compress.method },
    tools: { ...index.lexical, splitSentences, countTokens: (text) => countTokens(text) },
  });
  return {
    candidates,
    ranked,
    passages: compressed.passages,
    compression: compressed.compression,
    screenings: screened.screenings,
    ...report,
  };
}
