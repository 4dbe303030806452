/**
 * The statements to label for the per-example judge validation on real retrieval contexts: for a fixed
 * selection of answerable questions of each shipped dataset, the retrieval context the improved model
 * (confs/models/support-rag-improved.yaml) really gives the metric — the passages the RAG pipeline put in
 * the prompt, after compression, each as `"<title> › <section>\n<text>"` as the evaluation target records
 * them — split into statements by the offline judge's statements task, as `contextual_relevancy` splits
 * them. It prints one JSON line per statement with `relevant: null`, to be labelled by a careful reading
 * **without** the judge's scores (this script never asks the relevance task), then appended to
 * confs/data/eval/judge-validation.jsonl.
 *
 *   npx tsx --conditions=@llmops/source tools/bench/evaluation/judge-context-statements.ts > drafts.jsonl
 *
 * Selection: answerable questions whose text none of the hand-picked labels (`jv-kb-…`, `jv-manual-…`)
 * already asks, in dataset order, the first 26 of each corpus whose context holds a statement.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { OfflineHeuristicJudge, retrievalContextString } from '@llmops/evaluation';
import { ragDefaults } from '@llmops/kernel';
import { CorpusIndexer, FileCorpusSource, FileIndexStore, LiveCorpusIndex, RagPromptPreparer } from '@llmops/serving';
import { benchRetrieval, corpora, workspace } from '../answerer/answer-bench-data.js';

const perCorpus = 26;
const labelled = new Set(
  readFileSync(resolve(workspace, 'confs/data/eval/judge-validation.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { question: string }).question),
);
const retrieval = benchRetrieval(true);
const judge = new OfflineHeuristicJudge();
const directory = mkdtempSync(join(tmpdir(), 'judge-context-'));
try {
  for (const corpus of corpora) {
    const short = corpus.corpus.includes('manual') ? 'manual' : 'kb';
    const indexer = new CorpusIndexer({
      source: new FileCorpusSource({ root: workspace }),
      store: new FileIndexStore({ directory: join(directory, short) }),
    });
    const index = new LiveCorpusIndex({ indexer, request: { corpus: corpus.corpus, chunking: retrieval.chunking } });
    const preparer = new RagPromptPreparer({
      corpus: corpus.corpus,
      index,
      retrieval,
      tokenBudget: ragDefaults.tokenBudget,
    });
    const candidates = readFileSync(resolve(workspace, corpus.dataset), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { id: string; input: string; tags: string[] })
      .filter((line) => line.tags.includes('answerable') && !labelled.has(line.input));
    let taken = 0;
    for (const example of candidates) {
      if (taken === perCorpus) break;
      const prepared = await preparer.prepare({ messages: [{ role: 'user', content: example.input }], variables: {} });
      const used = (prepared.retrieval?.passages ?? []).filter((passage) => passage.used);
      const split = used.map((passage) => {
        const context = retrievalContextString({ ...passage, text: passage.context ?? '' });
        const { statements } = judge.answer({ kind: 'statements', text: context, purpose: 'statements' }) as {
          statements: string[];
        };
        return { passage, statements };
      });
      // A question whose context has no statement gets no contextual relevancy: nothing to label.
      if (split.every(({ statements }) => statements.length === 0)) continue;
      taken += 1;
      let number = 0;
      for (const [rank, { passage, statements }] of split.entries()) {
        for (const statement of statements) {
          number += 1;
          const newline = statement.indexOf('\n');
          console.log(
            JSON.stringify({
              id: `jv-ctx-${example.id}-${String(number).padStart(2, '0')}`,
              corpus: short,
              question: example.input,
              statement: newline < 0 ? statement : statement.slice(newline + 1),
              source: passage.source,
              relevant: null,
              context: example.id,
              location: newline < 0 ? '' : statement.slice(0, newline),
              rank: rank + 1,
            }),
          );
        }
      }
    }
  }
} finally {
  rmSync(directory, { recursive: true, force: true });
}
