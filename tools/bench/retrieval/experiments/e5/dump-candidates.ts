/**
 * Writes, for every answerable question of the three retrieval corpora, the improved spec's candidates in
 * the lexical reranker's order, as JSONL for the model experiments of this folder (issue 11):
 *
 *   npx tsx --conditions=@llmops/source tools/bench/retrieval/experiments/e5/dump-candidates.ts \
 *     --out /tmp/xenc-candidates.jsonl [--corpus /tmp/real-man --dataset tools/bench/retrieval/real-man-pages/questions.jsonl]
 *
 * One line per question: corpus, id, question, `develop` (the half of `inDevelopHalfOfLine`, by page for
 * the real man pages), and the 50 candidates in lexical rerank order, each with the text an embedder sees
 * (title › section, then text), the lexical rerank score and whether it holds a reference snippet. The
 * output holds corpus text: keep it outside the repository.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { matchesReference } from '@llmops/evaluation';
import { countTokens, splitSentences } from '@llmops/providers';
import { CorpusIndex, FileCorpusSource, LexicalReranker, chunkWith, passageEmbeddingText } from '@llmops/serving';
import { benchRetrieval, inDevelopHalfOfLine, answerableLines } from '../../../answerer/answer-bench-data.js';
import { option } from '../../../command-line.js';

const out = option('out');
if (!out) {
  console.error('usage: dump-candidates.ts --out FILE [--corpus DIR --dataset FILE]');
  process.exit(2);
}

/** The shipped improved spec's retrieval (confs/models/support-rag-improved.yaml). */
const settings = benchRetrieval(true);

async function dump(source: { root: string; corpus: string; dataset: string; label: string }): Promise<string[]> {
  const { root, corpus, dataset, label } = source;
  const snapshot = await new FileCorpusSource({ root }).read(corpus);
  const tools = { countTokens: (text: string) => countTokens(text), splitSentences };
  const passages = snapshot.documents.flatMap((document) => chunkWith(document, settings.chunking, tools));
  const index = new CorpusIndex(passages);
  const reranker = new LexicalReranker();
  const examples = answerableLines(dataset);
  const lines: string[] = [];
  for (const example of examples) {
    const references = example.reference_contexts ?? [];
    const candidates = await index.search(example.input, { k: settings.candidates });
    const ordered = await reranker.rerank({ query: example.input, candidates, index });
    lines.push(
      JSON.stringify({
        corpus: label,
        id: example.id ?? example.input,
        question: example.input,
        develop: inDevelopHalfOfLine(example),
        candidates: ordered.map((passage) => ({
          id: passage.id,
          text: passageEmbeddingText(passage),
          lexical: passage.score,
          holds: references.some((reference) => matchesReference(passage.text, reference)),
        })),
      }),
    );
  }
  console.log(`${label}: ${passages.length} passages, ${examples.length} answerable questions`);
  return lines;
}

const extraCorpus = option('corpus');
const extraDataset = option('dataset');
const lines = [
  ...(await dump({
    root: process.cwd(),
    corpus: 'confs/data/kb/',
    dataset: 'confs/data/eval/support-qa.jsonl',
    label: 'help center',
  })),
  ...(await dump({
    root: process.cwd(),
    corpus: 'confs/data/manual/',
    dataset: 'confs/data/eval/manual-qa.jsonl',
    label: 'skerry manual',
  })),
  ...(extraCorpus && extraDataset
    ? await dump({ root: resolve(extraCorpus), corpus: '.', dataset: extraDataset, label: 'real man pages' })
    : []),
];
writeFileSync(out, `${lines.join('\n')}\n`);
