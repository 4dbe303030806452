/**
 * The statements of the retrieval context the improved model (confs/models/support-rag-improved.yaml)
 * really gives the `contextual_relevancy` metric for one question: the passages the RAG pipeline put in
 * the prompt, after compression, each as `"<title> › <section>\n<text>"` as the evaluation target records
 * them, split by the offline judge's statements task as the metric splits them. The statements task does
 * not depend on the judge's relevance rules, so the same corpus gives the same statements before and after
 * a change to relevance. Shared by the label drafts (judge-context-statements.ts) and the validation bench.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OfflineHeuristicJudge, retrievalContextString } from '@llmops/evaluation';
import { ragDefaults } from '@llmops/kernel';
import { CorpusIndexer, FileCorpusSource, FileIndexStore, LiveCorpusIndex, RagPromptPreparer } from '@llmops/serving';
import { benchRetrieval, workspace } from '../answerer/answer-bench-data.js';
import type { Corpus } from '../answerer/answer-bench-data.js';

/** One statement of a question's context, in the order the metric judges them (1-based `position`). */
export interface ContextStatement {
  position: number;
  /** The statement without its location line. */
  statement: string;
  /** The passage's `title › section` line (empty when the passage had none). */
  location: string;
  source: string;
  /** The passage's rank among the passages used (1-based). */
  rank: number;
}

/** A dataset question and the statements of its real context. */
export interface QuestionContext {
  id: string;
  question: string;
  statements: ContextStatement[];
}

/** Whitespace-collapsed, then hashed: how labels of text that is not committed name their statement. */
export function statementHash(statement: string): string {
  return createHash('sha256').update(statement.replace(/\s+/g, ' ').trim()).digest('hex').slice(0, 12);
}

/** A context string split by the offline judge's statements task, each statement apart from its location line. */
function splitStatements(judge: OfflineHeuristicJudge, context: string): { statement: string; location: string }[] {
  const split = (judge.answer({ kind: 'statements', text: context, purpose: 'statements' }) as { statements: string[] })
    .statements;
  return split.map((statement) => {
    const newline = statement.indexOf('\n');
    return {
      statement: newline < 0 ? statement : statement.slice(newline + 1),
      location: newline < 0 ? '' : statement.slice(0, newline),
    };
  });
}

/**
 * The real contexts of the answerable questions of a corpus's dataset, in dataset order (those whose context
 * holds no statement are left out: the metric gives them no score). The index is built in `indexDirectory`.
 */
export async function questionContexts(
  corpus: Corpus,
  options: {
    indexDirectory: string;
    skip?: (input: string) => boolean;
    /**
     * Also given every statement of every whole passage of the corpus, by {@link statementHash}: where a labelled
     * statement is found once a change to retrieval or compression has moved it out of its question's context.
     */
    wholePassages?: (statements: ReadonlyMap<string, Omit<ContextStatement, 'position' | 'rank'>>) => void;
  },
): Promise<QuestionContext[]> {
  const retrieval = benchRetrieval(true);
  const judge = new OfflineHeuristicJudge();
  const indexer = new CorpusIndexer({
    source: new FileCorpusSource({ root: corpus.root ?? workspace }),
    store: new FileIndexStore({ directory: join(options.indexDirectory, corpus.name.replace(/[^\w]+/g, '-')) }),
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
    .filter((line) => line.tags.includes('answerable') && !(options.skip?.(line.input) ?? false));
  const result: QuestionContext[] = [];
  const passageStatements = new Map<string, Omit<ContextStatement, 'position' | 'rank'>>();
  if (options.wholePassages) {
    for (const passage of (await index.get()).index.passages) {
      for (const split of splitStatements(judge, retrievalContextString(passage))) {
        passageStatements.set(statementHash(split.statement), { ...split, source: passage.source });
      }
    }
    options.wholePassages(passageStatements);
  }
  for (const example of candidates) {
    const prepared = await preparer.prepare({ messages: [{ role: 'user', content: example.input }], variables: {} });
    const used = (prepared.retrieval?.passages ?? []).filter((passage) => passage.used);
    const statements: ContextStatement[] = [];
    for (const [rank, passage] of used.entries()) {
      const context = retrievalContextString({ ...passage, text: passage.context ?? '' });
      for (const split of splitStatements(judge, context)) {
        statements.push({ position: statements.length + 1, ...split, source: passage.source, rank: rank + 1 });
      }
    }
    if (statements.length > 0) result.push({ id: example.id, question: example.input, statements });
  }
  return result;
}
