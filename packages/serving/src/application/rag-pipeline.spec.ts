import { join } from 'node:path';
import { retrievalSchema } from '@llmops/kernel';
import { parseContextPassages } from '@llmops/providers';
import { FileCorpusSource } from '../adapters/file-system/file-corpus-source.js';
import { InMemoryIndexStore } from '../testing/in-memory-index-store.js';
import { RagPromptPreparer } from './rag-pipeline.js';
import { CorpusIndexer, LiveCorpusIndex } from './retrieval/corpus-indexer.js';

const fixtures = join(__dirname, '..', '__fixtures__');

describe('RagPromptPreparer', () => {
  it('writes each passage of the context with its document title and section, and its source', async () => {
    const retrieval = retrievalSchema.parse({ chunking: { strategy: 'structure', maxTokens: 160 }, k: 2 });
    const indexer = new CorpusIndexer({
      source: new FileCorpusSource({ root: fixtures }),
      store: new InMemoryIndexStore(),
    });
    const preparer = new RagPromptPreparer({
      corpus: 'kb',
      index: new LiveCorpusIndex({ indexer, request: { corpus: 'kb', chunking: retrieval.chunking } }),
      retrieval,
      tokenBudget: 400,
    });
    const prepared = await preparer.prepare({
      messages: [{ role: 'user', content: 'How long do refunds take?' }],
      variables: {},
    });
    const context = prepared.messages.map((message) => String(message.content)).join('\n');
    const first = parseContextPassages(context).passages[0];
    const used = prepared.passages[0];
    expect(used?.title).toBe('Refunds and returns');
    expect(first).toMatchObject({ number: 1, source: 'refunds.md', title: used?.title });
    expect(first?.section).toBe(used?.section);
    expect(context).toContain(`[1] (${[used?.title, used?.section].filter(Boolean).join(' › ')}; source: refunds.md) `);
  });
});
