import { retrievalSchema } from '@llmops/kernel';
import type { RetrievalToolSpec } from '@llmops/kernel';
import { countTokens, formatContextPassages, truncateToTokens } from '@llmops/providers';
import { z } from 'zod';
import { assembleContext } from '../../../domain/retrieval/context-budget.js';
import { documentChunking } from '../../retrieval/corpus-indexer.js';
import type { LiveCorpusIndex } from '../../retrieval/corpus-indexer.js';
import { LexicalReranker, retrievePassages } from '../../retrieval/passage-retriever.js';
import type { ModelPassageReranker, PassageReranker } from '../../retrieval/passage-retriever.js';
import { functionTool } from '../agent-tool.js';
import type { AgentTool } from '../agent-tool.js';

const retrievalArguments = z.strictObject({
  query: z.string().min(1).max(2000).describe('What to look for, in words'),
});

/**
 * How a retrieval tool retrieves: the shipped improved RAG model's settings ({@link documentChunking}, 50 BM25F
 * candidates, lexical rerank, compression), with the tool's `k`.
 */
export function retrievalToolSettings(k: number) {
  return retrievalSchema.parse({
    chunking: documentChunking,
    candidates: 50,
    k,
    rerank: 'lexical',
    compress: { keepRatio: 0.5 },
  });
}

/**
 * The `retrieval` tool: searches a corpus with the RAG pipeline's retrieval and answers with the
 * numbered passages (`[1] (title › section; source: …) text`), the convention models and the
 * offline extractive model read. `reranker` is the lexical rerank, or the lexical rerank with the MiniLM
 * signal when the tool's spec has `dense`; `modelReranker` is the spec's `reranker` (a cross-encoder or LLM over
 * HTTP), run after it as in a RAG pipeline: when it fails, the lexical order is kept and its report (in the tool
 * output, for the tool step's trace) says why.
 */
export function retrievalTool(
  spec: RetrievalToolSpec,
  index: LiveCorpusIndex,
  options: { reranker?: PassageReranker; modelReranker?: ModelPassageReranker } = {},
): AgentTool {
  const settings = retrievalToolSettings(spec.k);
  const reranker = options.reranker ?? new LexicalReranker();
  const modelReranker = options.modelReranker;
  const tools = {
    countTokens: (text: string) => countTokens(text),
    formatPassages: formatContextPassages,
    truncate: (text: string, maxTokens: number) => truncateToTokens(text, { maxTokens }),
  };
  const description = spec.description ?? `Searches ${spec.corpus} and returns the passages that match the query.`;
  return {
    name: spec.name,
    kind: 'retrieval',
    arguments: retrievalArguments,
    definition: functionTool({ name: spec.name, description, arguments: retrievalArguments }),
    async run(args, options) {
      const { query } = args as z.output<typeof retrievalArguments>;
      const signalOption = options.signal ? { signal: options.signal } : {};
      const outcome = await index.get(signalOption);
      const found = await retrievePassages(
        { index: outcome.index, query, settings, reranker, ...(modelReranker ? { modelReranker } : {}) },
        signalOption,
      );
      const context = assembleContext(found.passages, { budgetTokens: spec.tokenBudget, tools });
      const text = context.text === '' ? `No passage of ${spec.corpus} matches "${query}".` : context.text;
      return found.reranker ? { text, reranker: found.reranker } : text;
    },
  };
}
