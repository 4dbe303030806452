/**
 * Retrieval quality on both shipped corpora (confs/data/kb with support-qa, confs/data/manual with
 * manual-qa), and on a third corpus when `--corpus DIR --dataset FILE` name one (a folder anywhere,
 * e.g. the real man pages tools/bench/retrieval/real-man-pages/lay-out.sh renders), for one
 * retrieval configuration:
 *
 *   npx tsx --conditions=@llmops/source tools/bench/retrieval/retrieval-quality.ts \
 *     [--strategy structure|tokens] [--max-tokens 200] [--overlap 40] [--candidates 50] [--k 3] \
 *     [--rerank none|lexical] [--compress 0.5] [--compress-method overlap|support] [--legacy] [--misses] \
 *     [--corpus /tmp/real-man --dataset tools/bench/retrieval/real-man-pages/questions.jsonl] \
 *     [--split develop|check] [--ranks FILE] [--dense FILE [--dense-weight 0.15]] \
 *     [--reranker-url URL --reranker-api rerank|chat --reranker-model M [--reranker-key-env VAR] [--reranker-timeout-ms N]]
 *
 * `--reranker-url` adds a model reranker over HTTP after the first stage (and the lexical rerank when `--rerank
 * lexical`): the spec's `retrieval.reranker`, built the way serving builds it (`HttpPassageReranker`). A key variable
 * must be declared for the URL's host like any provider key (`LLMOPS_PROVIDER_KEY_<NAME>` with
 * `LLMOPS_PROVIDER_KEY_<NAME>_HOSTS`). Each question calls it twice (the top 5 for the ranks, the top `k` for the
 * context); the script prints how many calls succeeded and the causes of those that failed (a failed call keeps the
 * previous order, as in serving, so a run with failures measures a mix: read the count before the table).
 *
 * `--dense FILE` adds the MiniLM signal to the lexical rerank (the spec's `retrieval.dense`, weights written by
 * tools/retrieval/minilm/write-minilm.py; `--rerank lexical` required); each corpus gets its own reranker, so a
 * passage is embedded once per corpus. It prints the CPU time of this process spent embedding (`process.cpuUsage`).
 *
 * For answerable examples: reference passage in top 1 / 3 / 5 and MRR (over the reranked list),
 * mean tokens of the final context, and the share of reference contexts still in the context after
 * compression. `--legacy` scores with the pre-issue-11 index (plain BM25 over heading + text) to
 * reproduce the numbers of the configurations shipped before. `--misses` prints, for every answerable
 * question whose reference is not ranked first, the question, the reference and the top 5 (title ›
 * section: the first 100 characters, score), to diagnose why. `--ranks FILE` writes each measured
 * question's rank (0: not in the top 5) as JSON, to count the questions a change moves up and down.
 *
 * `--split develop|check` measures one half of every corpus, fixed before any miss was read (issue 11):
 * a question is in the develop half when the first byte of the SHA-256 of its key is even, the key
 * being its page (the `page:<name>` tag of the real man pages, so that a page's questions stay
 * together and the check half's pages are never read) or else its id (help center, skerry manual).
 *
 * `--page-weight W` mixes a page-level signal into the lexical rerank (a bench-only variant, not in the spec: see
 * experiments/page-signal-reranker.ts), `--page-signal bm25|coverage|candidates` choosing how a page is scored for the question (bm25 by default).
 *
 * Decision rule of the page-signal and table-row pass (issue 11, written 2026-12-01 before any check half was
 * measured): candidates are chosen on the develop halves of the four corpora only (help center, skerry manual, real
 * man pages, Tern by page); then the check halves are measured once, and a variant ships only if MRR on the check
 * halves rises on at least 3 of the 4 corpora, falls by no more than 0.01 on any, and the help center's top 1 does
 * not fall. A candidate goes to the check halves only if its develop MRR, summed over the four corpora, is above the
 * shipped spec's. On the develop halves none was (page signal by BM25F of the page at 0.05 / 0.1 / 0.2, by the
 * page's IDF coverage or by its candidates' best + mean at 0.15 / 0.3, table rows as entries under their header,
 * a number-near-a-query-term signal for amount questions, the best entry's coverage of a packed passage): so nothing
 * is eligible to ship, and the page BM25F signal at 0.1 (the issue's hypothesis: its misses of that kind are in the
 * check half) is measured on the check halves once, for the record only, whatever the check says.
 *
 * "Reference retrieved" is `matchesReference` of `@llmops/evaluation`, the one rule the retrieval metrics use (a
 * passage contains the reference after collapsing whitespace and lower-casing, or covers >= 80 % of its word tokens).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { matchesReference } from '@llmops/evaluation';
import { ProviderCredentials, retrievalSchema } from '@llmops/kernel';
import { Bm25Scorer, countTokens, splitSentences } from '@llmops/providers';
import {
  CorpusIndex,
  DenseReranker,
  FileCorpusSource,
  HttpPassageReranker,
  chunkWith,
  miniLmEncoderAt,
  retrievePassages,
  LexicalReranker,
} from '@llmops/serving';
import type { ModelPassageReranker, ScoredPassage } from '@llmops/serving';
import { inDevelopHalfOfLine, answerableLines } from '../answerer/answer-bench-data.js';
import type { DatasetLine } from '../answerer/answer-bench-data.js';
import { option } from '../command-line.js';
import { PageSignalReranker } from './experiments/page-signal-reranker.js';
import type { PageSignalKind } from './experiments/page-signal-reranker.js';

const legacy = process.argv.includes('--legacy');
const showMisses = process.argv.includes('--misses');
const compressRatio = option('compress');
const split = option('split');
if (split !== undefined && split !== 'develop' && split !== 'check') {
  console.error(`retrieval-quality: --split takes develop or check, got "${split}"`);
  process.exit(2);
}
const ranksFile = option('ranks');
const denseWeights = option('dense');
const ranks: Record<string, number> = {};
const pageWeight = Number(option('page-weight') ?? 0);
const pageSignal = (option('page-signal') ?? 'bm25') as PageSignalKind;
const page = pageWeight > 0 ? { weight: pageWeight, signal: pageSignal } : undefined;
const withPage = (lexical: LexicalReranker) => (page ? new PageSignalReranker({ ...page, lexical }) : lexical);
const settings = retrievalSchema.parse({
  chunking: {
    strategy: option('strategy') ?? 'tokens',
    maxTokens: Number(option('max-tokens') ?? 200),
    overlapTokens: Number(option('overlap') ?? (option('strategy') === 'structure' ? 0 : 40)),
  },
  candidates: Number(option('candidates') ?? 50),
  k: Number(option('k') ?? 3),
  rerank: option('rerank') ?? 'none',
  ...(denseWeights ? { dense: { weights: denseWeights, weight: Number(option('dense-weight') ?? 0.15) } } : {}),
  ...(option('reranker-url')
    ? {
        reranker: {
          api: option('reranker-api') ?? 'rerank',
          baseUrl: option('reranker-url'),
          model: option('reranker-model'),
          ...(option('reranker-key-env') ? { apiKeyEnv: option('reranker-key-env') } : {}),
          ...(option('reranker-timeout-ms') ? { timeoutMs: Number(option('reranker-timeout-ms')) } : {}),
        },
      }
    : {}),
  compress:
    compressRatio === undefined
      ? false
      : { enabled: true, keepRatio: Number(compressRatio), method: option('compress-method') ?? 'overlap' },
});

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

function printMiss(miss: { example: DatasetLine; references: string[]; ranking: ScoredPassage[]; rank: number }) {
  const { example, references, ranking, rank } = miss;
  console.log(`\n# ${example.id ?? ''} rank ${rank === 0 ? '> 5' : rank}: ${example.input}`);
  for (const reference of references) console.log(`  reference: ${collapse(reference).slice(0, 160)}`);
  ranking.slice(0, 5).forEach((passage, position) => {
    const location = [passage.title, passage.section].filter(Boolean).join(' › ');
    const text = passage.text.replace(/\s+/g, ' ').slice(0, 100);
    console.log(`  ${position + 1}. (${location}) ${text} [${passage.score.toFixed(3)}]`);
  });
}

/** CPU microseconds (user + system of this process) and texts spent embedding, when `--dense` is given. */
const embedding = { micros: 0, texts: 0 };

function timed(encoder: { encode(text: string): Float32Array }) {
  return {
    encode(text: string) {
      const start = process.cpuUsage();
      const vector = encoder.encode(text);
      const spent = process.cpuUsage(start);
      embedding.micros += spent.user + spent.system;
      embedding.texts += 1;
      return vector;
    },
  };
}

/** The model reranker of `--reranker-url`, and what its calls did: `ok` or the failure, with counts. */
const modelReranker: ModelPassageReranker | undefined = settings.reranker
  ? new HttpPassageReranker(settings.reranker, {
      env: process.env,
      credentials: ProviderCredentials.from({ env: process.env }),
      field: '--reranker',
    })
  : undefined;
const rerankerOutcomes = new Map<string, number>();
const countedReranker: ModelPassageReranker | undefined = modelReranker && {
  async rerank(input, options) {
    const result = await modelReranker.rerank(input, options);
    rerankerOutcomes.set(result.report.outcome, (rerankerOutcomes.get(result.report.outcome) ?? 0) + 1);
    return result;
  },
};

/** A corpus to measure: the folder its locations start from (the folder corpora are confined to), the location and its dataset. */
interface MeasuredCorpus {
  root: string;
  corpus: string;
  dataset: string;
}

async function measure({ root, corpus, dataset }: MeasuredCorpus) {
  const snapshot = await new FileCorpusSource({ root }).read(corpus);
  const tools = { countTokens: (text: string) => countTokens(text), splitSentences };
  const passages = snapshot.documents.flatMap((document) => chunkWith(document, settings.chunking, tools));
  const index = new CorpusIndex(passages);
  const legacyScorer = legacy
    ? new Bm25Scorer(
        passages.map((passage) => {
          const heading = passage.section ?? (passage.source.endsWith('.md') ? passage.title : undefined);
          return heading ? `${heading}\n${passage.text}` : passage.text;
        }),
      )
    : undefined;
  const examples = answerableLines(dataset).filter(
    (example) => split === undefined || inDevelopHalfOfLine(example) === (split === 'develop'),
  );
  const reranker = settings.dense
    ? new DenseReranker({
        lexical: withPage(new LexicalReranker()),
        encoder: timed(miniLmEncoderAt(settings.dense.weights, '--dense')),
        weight: settings.dense.weight,
      })
    : settings.rerank === 'lexical'
      ? withPage(new LexicalReranker())
      : undefined;
  if (showMisses) console.log(`\n## Misses on ${corpus === '.' ? root : corpus}`);
  const totals = { top1: 0, top3: 0, top5: 0, reciprocal: 0, tokens: 0, kept: 0, referenceCount: 0, passages: 0 };
  for (const example of examples) {
    const references = example.reference_contexts ?? [];
    const holds = (passage: ScoredPassage) => references.some((reference) => matchesReference(passage.text, reference));
    let ranking: ScoredPassage[];
    let final: ScoredPassage[];
    if (legacyScorer) {
      ranking = legacyScorer
        .search(example.input, { limit: Math.max(5, settings.k) })
        .map((match) => ({ ...(passages[match.index] as ScoredPassage), score: match.score }));
      final = ranking.slice(0, settings.k);
    } else {
      const wide = await retrievePassages({
        index,
        query: example.input,
        settings: {
          ...settings,
          k: Math.max(5, settings.k),
          compress: { enabled: false, method: 'overlap', keepRatio: 1 },
        },
        ...(reranker ? { reranker } : {}),
        ...(countedReranker ? { modelReranker: countedReranker } : {}),
      });
      ranking = wide.ranked;
      const outcome = await retrievePassages({
        index,
        query: example.input,
        settings,
        ...(reranker ? { reranker } : {}),
        ...(countedReranker ? { modelReranker: countedReranker } : {}),
      });
      final = outcome.passages;
    }
    const rank = ranking.findIndex(holds) + 1;
    ranks[example.id ?? example.input] = rank;
    if (showMisses && rank !== 1) printMiss({ example, references, ranking, rank });
    if (rank === 1) totals.top1 += 1;
    if (rank >= 1 && rank <= 3) totals.top3 += 1;
    if (rank >= 1 && rank <= 5) totals.top5 += 1;
    if (rank >= 1) totals.reciprocal += 1 / rank;
    totals.tokens += final.reduce((sum, passage) => sum + countTokens(passage.text), 0);
    totals.passages += final.length;
    for (const reference of references) {
      totals.referenceCount += 1;
      if (final.some((passage) => matchesReference(passage.text, reference))) totals.kept += 1;
    }
  }
  const count = examples.length;
  return {
    corpus: corpus === '.' ? root : corpus,
    answerable: count,
    passagesIndexed: passages.length,
    top1: totals.top1 / count,
    top3: totals.top3 / count,
    top5: totals.top5 / count,
    mrr: totals.reciprocal / count,
    contextTokens: totals.tokens / count,
    contextPassages: totals.passages / count,
    referenceInContext: totals.kept / totals.referenceCount,
  };
}

const extraCorpus = option('corpus');
const extraDataset = option('dataset');
if ((extraCorpus === undefined) !== (extraDataset === undefined)) {
  console.error(
    'retrieval-quality: --corpus DIR and --dataset FILE go together (a folder of documents and its JSONL questions)',
  );
  process.exit(2);
}
const measured: MeasuredCorpus[] = [
  { root: process.cwd(), corpus: 'confs/data/kb/', dataset: 'confs/data/eval/support-qa.jsonl' },
  { root: process.cwd(), corpus: 'confs/data/manual/', dataset: 'confs/data/eval/manual-qa.jsonl' },
  ...(extraCorpus && extraDataset ? [{ root: resolve(extraCorpus), corpus: '.', dataset: extraDataset }] : []),
];
const rows = [];
for (const corpus of measured) rows.push(await measure(corpus));
if (ranksFile) writeFileSync(ranksFile, JSON.stringify(ranks, null, 1));
console.log(JSON.stringify({ legacy, split, settings, page }));
if (settings.dense)
  console.log(
    `embedded ${embedding.texts} texts (questions and distinct passages) in ${(embedding.micros / 1e6).toFixed(1)} s of CPU, ${(embedding.micros / 1e3 / Math.max(1, embedding.texts)).toFixed(1)} ms each`,
  );
if (settings.reranker)
  console.log(
    `reranker ${settings.reranker.api}/${settings.reranker.model} at ${new URL(settings.reranker.baseUrl).host}: ${[...rerankerOutcomes].map(([outcome, count]) => `${count} ${outcome}`).join(', ')}`,
  );
const format = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(3));
console.log(
  '| corpus | answerable | passages | top 1 | top 3 | top 5 | MRR | context tokens | passages in context | reference in context |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows)
  console.log(
    `| ${row.corpus} | ${row.answerable} | ${row.passagesIndexed} | ${format(row.top1)} | ${format(row.top3)} | ${format(row.top5)} | ${format(row.mrr)} | ${format(row.contextTokens)} | ${format(row.contextPassages)} | ${format(row.referenceInContext)} |`,
  );
