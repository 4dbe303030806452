/**
 * The statements to label for the per-example judge validation on real retrieval contexts: for a fixed
 * selection of answerable questions, the retrieval context the improved model
 * (confs/models/support-rag-improved.yaml) really gives the metric (see context-statements.ts), split into
 * statements as `contextual_relevancy` splits them. It prints one JSON line per statement with
 * `relevant: null`, to be labelled by a careful reading **without** the judge's scores (this script never
 * asks the relevance task).
 *
 *   npx tsx --conditions=@llmops/source tools/bench/evaluation/judge-context-statements.ts > drafts.jsonl
 *   npx tsx --conditions=@llmops/source tools/bench/evaluation/judge-context-statements.ts \
 *     --corpus /tmp/real-man-pages --dataset tools/bench/retrieval/real-man-pages/questions.jsonl > drafts.jsonl
 *
 * Shipped corpora (labels appended to confs/data/eval/judge-validation.jsonl, statements verbatim):
 * answerable questions whose text none of the hand-picked labels already asks, in dataset order, the first
 * 26 of each corpus whose context holds a statement.
 * A corpus named with `--corpus DIR --dataset FILE` (the real man pages, whose text is not ours): the first
 * 22 answerable questions whose context holds a statement, each statement named by its question id, its
 * position in the context, a hash of its text and a short snippet, never its whole text (labels go to
 * tools/bench/retrieval/real-man-pages/judge-labels.jsonl; the bench re-derives the statements).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { corpora, corporaFromArguments, workspace } from '../answerer/answer-bench-data.js';
import { questionContexts, statementHash } from './context-statements.js';

const shippedPerCorpus = 26;
/** How many questions of a named corpus are labelled. */
const namedPerCorpus = 22;
const labelled = new Set(
  readFileSync(resolve(workspace, 'confs/data/eval/judge-validation.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { question: string }).question),
);
const named = corporaFromArguments(process.argv).slice(corpora.length);
const directory = mkdtempSync(join(tmpdir(), 'judge-context-'));
try {
  if (named.length > 0) {
    for (const corpus of named) {
      const contexts = await questionContexts(corpus, { indexDirectory: directory });
      for (const context of contexts.slice(0, namedPerCorpus))
        for (const statement of context.statements)
          console.log(
            JSON.stringify({
              id: `jv-rm-${context.id}-${String(statement.position).padStart(2, '0')}`,
              context: context.id,
              position: statement.position,
              hash: statementHash(statement.statement),
              snippet: statement.statement.slice(0, 32),
              relevant: null,
            }),
          );
    }
  } else {
    for (const corpus of corpora) {
      const short = corpus.corpus.includes('manual') ? 'manual' : 'kb';
      const contexts = await questionContexts(corpus, {
        indexDirectory: directory,
        skip: (input) => labelled.has(input),
      });
      for (const context of contexts.slice(0, shippedPerCorpus))
        for (const statement of context.statements)
          console.log(
            JSON.stringify({
              id: `jv-ctx-${context.id}-${String(statement.position).padStart(2, '0')}`,
              corpus: short,
              question: context.question,
              statement: statement.statement,
              source: statement.source,
              relevant: null,
              context: context.id,
              location: statement.location,
              rank: statement.rank,
            }),
          );
    }
  }
} finally {
  rmSync(directory, { recursive: true, force: true });
}
