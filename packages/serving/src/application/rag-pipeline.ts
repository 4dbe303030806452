import { contentText } from '@llmops/kernel';
import type { ChatMessage, RetrievalSpec } from '@llmops/kernel';
import { countTokens, formatContextPassages, truncateToTokens } from '@llmops/providers';
import { assembleContext } from '../domain/retrieval/context-budget.js';
import type { ContextTools } from '../domain/retrieval/context-budget.js';
import type { PinnedPrompt } from '../ports.js';
import type { PreparedPrompt, PromptPreparer } from './generation-pipeline.js';
import type { RetrievalTrace } from './pipeline.js';
import { assembleMessages, emptyContext } from './prompt-assembly.js';
import type { PassageScreen } from './passage-screen.js';
import type { LiveCorpusIndex } from './retrieval/corpus-indexer.js';
import { LexicalReranker, retrievePassages } from './retrieval/passage-retriever.js';
import type { ModelPassageReranker, PassageReranker } from './retrieval/passage-retriever.js';

/** Settings of {@link RagPromptPreparer}. */
export interface RagPromptPreparerOptions {
  prompt?: PinnedPrompt;
  corpus: string;
  index: LiveCorpusIndex;
  /** Chunking, candidates, reranking to the top `k`, and compression (the model spec's `retrieval`). */
  retrieval: RetrievalSpec;
  tokenBudget: number;
  /** The reranker of `retrieval.rerank: lexical`; the built-in {@link LexicalReranker} by default. */
  reranker?: PassageReranker;
  /** The cross-encoder or LLM reranker of `retrieval.reranker`, run after `reranker`; it decides the top `k`. */
  modelReranker?: ModelPassageReranker;
  /** The model id, so the budget is counted with the model's tokenizer. */
  modelId?: string;
  /** The guardrail policy's checks on retrieved passages; flagged passages are dropped or quarantined, judged whole before compression. */
  screen?: PassageScreen;
}

/**
 * The RAG pipeline's prompt: the last user question retrieves candidates, reranked to the top `k`,
 * screened whole by the guardrail policy (a passage carrying injected instructions or harmful
 * content is dropped or quarantined, see {@link PassageScreen}) and then compressed to what bears
 * on the question (see `retrievePassages`), then duplicates
 * are dropped and the rest fit into `tokenBudget` tokens (see `assembleContext`), the passages are
 * written in the numbered context convention of `@llmops/providers` (`[1] (source: …) text`,
 * which the offline extractive model reads and every answer cites), and the prompt is rendered
 * with that context.
 */
export class RagPromptPreparer implements PromptPreparer {
  readonly kind = 'rag' as const;
  private readonly options: RagPromptPreparerOptions;
  private readonly tools: ContextTools;
  private readonly reranker: PassageReranker | undefined;

  constructor(options: RagPromptPreparerOptions) {
    this.options = options;
    this.reranker = options.retrieval.rerank === 'none' ? undefined : (options.reranker ?? new LexicalReranker());
    const model = options.modelId;
    this.tools = {
      countTokens: (text) => countTokens(text, model),
      formatPassages: (passages) => formatContextPassages(passages),
      truncate: (text, maxTokens) => truncateToTokens(text, { maxTokens, ...(model ? { model } : {}) }),
    };
  }

  async prepare(input: {
    messages: ChatMessage[];
    variables: Readonly<Record<string, string>>;
    signal?: AbortSignal;
  }): Promise<PreparedPrompt> {
    const { retrieval: settings, tokenBudget, corpus } = this.options;
    const lastUser = [...input.messages].reverse().find((message) => message.role === 'user');
    const query = contentText(lastUser?.content);
    const outcome = await this.options.index.get(input.signal ? { signal: input.signal } : {});
    const screen = this.options.screen;
    const found = await retrievePassages(
      {
        index: outcome.index,
        query,
        settings,
        ...(this.reranker ? { reranker: this.reranker } : {}),
        ...(this.options.modelReranker ? { modelReranker: this.options.modelReranker } : {}),
        ...(screen ? { screen } : {}),
      },
      input.signal ? { signal: input.signal } : {},
    );
    const context = assembleContext(found.passages, { budgetTokens: tokenBudget, tools: this.tools });
    const used = new Map(context.passages.map((passage) => [passage.id, passage]));
    const kept = new Map(found.compression.map((entry) => [entry.id, entry]));
    const retrieval: RetrievalTrace = {
      corpus,
      indexKey: outcome.key,
      indexBuilt: outcome.built,
      query,
      k: settings.k,
      candidates: found.candidates.length,
      budgetTokens: tokenBudget,
      contextTokens: context.tokens,
      ...(found.screenings.length > 0 ? { screened: found.screenings } : {}),
      ...(found.reranker ? { reranker: found.reranker } : {}),
      passages: found.ranked.map((passage) => {
        const inContext = used.get(passage.id);
        const compression = kept.get(passage.id);
        return {
          id: passage.id,
          source: passage.source,
          ...(passage.title ? { title: passage.title } : {}),
          ...(passage.section ? { section: passage.section } : {}),
          score: passage.score,
          tokens: passage.tokens,
          used: inContext !== undefined,
          ...(compression ? { compression: { units: compression.units, kept: compression.kept } } : {}),
          ...(inContext ? { context: inContext.text } : {}),
        };
      }),
    };
    const messages = assembleMessages({
      ...(this.options.prompt ? { prompt: this.options.prompt } : {}),
      messages: input.messages,
      variables: input.variables,
      context: context.text === '' ? emptyContext : context.text,
    });
    return { messages, passages: context.passages, retrieval };
  }
}
