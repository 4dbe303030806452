import { contentText } from '@llmops/kernel';
import type { ChatMessage } from '@llmops/kernel';
import { countTokens, formatContextPassages, truncateToTokens } from '@llmops/providers';
import { assembleContext } from '../domain/retrieval/context-budget.js';
import type { ContextTools } from '../domain/retrieval/context-budget.js';
import type { PinnedPrompt } from '../ports.js';
import type { PreparedPrompt, PromptPreparer } from './generation-pipeline.js';
import type { RetrievalTrace } from './pipeline.js';
import { assembleMessages, emptyContext } from './prompt-assembly.js';
import type { LiveCorpusIndex } from './retrieval/corpus-indexer.js';

/** Settings of {@link RagPromptPreparer}. */
export interface RagPromptPreparerOptions {
  prompt?: PinnedPrompt;
  corpus: string;
  index: LiveCorpusIndex;
  k: number;
  tokenBudget: number;
  /** The model id, so the budget is counted with the model's tokenizer. */
  modelId?: string;
}

/**
 * The RAG pipeline's prompt: the last user question retrieves the top `k` passages, duplicates
 * are dropped and the rest fit into `tokenBudget` tokens (see `assembleContext`), the passages are
 * written in the numbered context convention of `@llmops/providers` (`[1] (source: …) text`,
 * which the offline extractive model reads and every answer cites), and the prompt is rendered
 * with that context.
 */
export class RagPromptPreparer implements PromptPreparer {
  readonly kind = 'rag' as const;
  private readonly options: RagPromptPreparerOptions;
  private readonly tools: ContextTools;

  constructor(options: RagPromptPreparerOptions) {
    this.options = options;
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
    const { k, tokenBudget, corpus } = this.options;
    const lastUser = [...input.messages].reverse().find((message) => message.role === 'user');
    const query = contentText(lastUser?.content);
    const outcome = await this.options.index.get(input.signal ? { signal: input.signal } : {});
    const candidates =
      query.trim() === ''
        ? []
        : await outcome.index.search(query, { k, ...(input.signal ? { signal: input.signal } : {}) });
    const context = assembleContext(candidates, { budgetTokens: tokenBudget, tools: this.tools });
    const usedIds = new Set(context.passages.map((passage) => passage.id));
    const retrieval: RetrievalTrace = {
      corpus,
      indexKey: outcome.key,
      indexBuilt: outcome.built,
      query,
      k,
      budgetTokens: tokenBudget,
      contextTokens: context.tokens,
      passages: candidates.map((passage) => ({
        id: passage.id,
        source: passage.source,
        score: passage.score,
        tokens: passage.tokens,
        used: usedIds.has(passage.id),
      })),
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
