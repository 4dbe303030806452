/**
 * What the answerer benches share: the two shipped corpora with their evaluation datasets, the
 * context the RAG pipeline really builds for each question (`@llmops/serving`'s corpus indexer and
 * RAG prompt preparer, in process), and the one rule for "the answer contains the fact".
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfigDocument, parseModelVersionSpec, ragDefaults, retrievalSchema } from '@llmops/kernel';
import type { ChatMessage, ModelVersionSpec, RetrievalSpec } from '@llmops/kernel';
import { englishStopwords, parseContextPassages, tokenizeWords } from '@llmops/providers';
import { CorpusIndexer, FileCorpusSource, FileIndexStore, LiveCorpusIndex, RagPromptPreparer } from '@llmops/serving';
import type { CorpusIndex } from '@llmops/serving';

export const workspace = resolve(import.meta.dirname, '..', '..', '..');

/** Share of the reference contexts' distinct content words an answer must hold to contain the fact. */
export const factRecall = 0.6;

const improvedSpecFile = 'confs/models/support-rag-improved.yaml';

function improvedSpec(): ModelVersionSpec {
  const file = resolve(workspace, improvedSpecFile);
  return parseModelVersionSpec(loadConfigDocument({ files: [file] }).value, improvedSpecFile);
}

/**
 * The retrieval settings the contexts are built with: the shipped baseline chunking with k = 5, or,
 * with `improved`, the retrieval of confs/models/support-rag-improved.yaml.
 */
export function benchRetrieval(improved: boolean): RetrievalSpec {
  const pipeline = improved ? improvedSpec().pipeline : undefined;
  if (pipeline?.kind === 'rag') return pipeline.retrieval;
  return retrievalSchema.parse({ ...ragDefaults.retrieval, k: 5 });
}

/** The offline model's settings of the improved spec (its `minSupport`), or none for the baseline. */
export function benchModelSettings(improved: boolean): { minSupport?: number } {
  const provider = improved ? improvedSpec().provider : undefined;
  const minSupport = typeof provider === 'object' ? provider['minSupport'] : undefined;
  return typeof minSupport === 'number' ? { minSupport } : {};
}

/** One evaluation question with the messages the RAG pipeline gives the model. */
export interface Question {
  id: string;
  /** The question's `page:<name>` tag (the real man pages), when it has one: see {@link inDevelopHalfByPage}. */
  pageTag?: string;
  question: string;
  /** The dataset's answer in the team's words (for token F1), when it has one. */
  expectedOutput?: string;
  references: string[];
  answerable: boolean;
  messages: ChatMessage[];
  /** Whether a context passage holds a reference context (whitespace-collapsed, lower-cased). */
  retrieved: boolean;
  /** The rerank scores of the top `k` passages, best first (the first-stage scores when there is no reranker). */
  rankedScores: number[];
  /** A term's IDF over all passages of the corpus's retrieval index (its BM25F document frequency). */
  corpusIdf: (term: string) => number;
}

/** A corpus and its evaluation dataset (a shipped one, or one named on the command line). */
export interface Corpus {
  name: string;
  /** Where `corpus` and `dataset` are resolved from, and the folder the corpus is confined to: the workspace by default. */
  root?: string;
  corpus: string;
  dataset: string;
}

/**
 * The shipped corpora, and a third one when the command line names it with `--corpus DIR --dataset FILE`
 * (a folder anywhere, e.g. the real man pages of tools/bench/retrieval/real-man-pages/).
 * @throws Error when only one of the two options is given.
 */
export function corporaFromArguments(argv: readonly string[]): Corpus[] {
  const value = (name: string) => {
    const index = argv.indexOf(`--${name}`);
    return index > 0 ? argv[index + 1] : undefined;
  };
  const corpus = value('corpus');
  const dataset = value('dataset');
  if ((corpus === undefined) !== (dataset === undefined))
    throw new Error('--corpus DIR and --dataset FILE go together (a folder of documents and its JSONL questions)');
  if (corpus === undefined || dataset === undefined) return corpora;
  return [...corpora, { name: corpus, root: resolve(corpus), corpus: '.', dataset: resolve(dataset) }];
}

export const corpora: Corpus[] = [
  { name: 'kb (help center)', corpus: 'confs/data/kb/', dataset: 'confs/data/eval/support-qa.jsonl' },
  { name: 'manual (skerry)', corpus: 'confs/data/manual/', dataset: 'confs/data/eval/manual-qa.jsonl' },
];

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

function contentWords(text: string): Set<string> {
  return new Set(tokenizeWords(text).filter((word) => !englishStopwords.has(word)));
}

/** The rule: the answer holds >= 60 % of the distinct content words of the reference contexts. */
export function containsFact(answer: string, references: readonly string[]): boolean {
  const wanted = contentWords(references.join(' '));
  if (wanted.size === 0) return false;
  const found = contentWords(answer.replace(/\[\d+\]/g, ' '));
  let hits = 0;
  for (const word of wanted) if (found.has(word)) hits += 1;
  return hits / wanted.size >= factRecall;
}

/**
 * The develop/check split of every corpus, fixed before anything was measured: a question belongs to the
 * develop half when the first byte of the SHA-256 of its id is even, to the check half otherwise. Method
 * changes are chosen on develop halves and checked on the others.
 */
export function inDevelopHalf(question: { id: string }): boolean {
  return (createHash('sha256').update(question.id).digest()[0] as number) % 2 === 0;
}

/**
 * The same split keyed by a question's page when it is tagged with one (`page:<name>`, the real man
 * pages), by its id otherwise: a page's questions then stay in one half, as `retrieval-quality.ts
 * --split` cuts them (develop pages chmod, curl, date, du, env, find, git-commit, grep, less, make,
 * sed, ssh, tail, wget). Other benches keep {@link inDevelopHalf}'s halves, which their recorded numbers use.
 */
export function inDevelopHalfByPage(question: { id: string; pageTag?: string }): boolean {
  return inDevelopHalf({ id: question.pageTag ?? question.id });
}

/** {@link inDevelopHalfByPage} of a dataset line as written: its `page:` tag, else its id (else its input). */
export function inDevelopHalfOfLine(line: { id?: string; input: string; tags: readonly string[] }): boolean {
  const pageTag = line.tags.find((tag) => tag.startsWith('page:'));
  return inDevelopHalfByPage({ id: line.id ?? line.input, ...(pageTag === undefined ? {} : { pageTag }) });
}

/** One line of a JSONL evaluation dataset, as the benches and experiments read it. */
export interface DatasetLine {
  id?: string;
  input: string;
  expected_output?: string;
  reference_contexts?: string[];
  tags: string[];
}

/** Every line of the JSONL dataset at `path`. */
export function datasetLines(path: string): DatasetLine[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as DatasetLine);
}

/** The answerable lines of the JSONL dataset at `path`. */
export function answerableLines(path: string): DatasetLine[] {
  return datasetLines(path).filter((line) => line.tags.includes('answerable'));
}

/** The context passages of prepared messages. */
export function contextPassages(messages: readonly ChatMessage[]) {
  return messages.flatMap((message) =>
    typeof message.content === 'string' ? parseContextPassages(message.content).passages : [],
  );
}

function referenceRetrieved(messages: readonly ChatMessage[], references: readonly string[]): boolean {
  const passages = contextPassages(messages);
  return references.some((reference) =>
    passages.some((passage) => collapse(passage.text).includes(collapse(reference))),
  );
}

/**
 * Builds the corpus's index in `indexDirectory` and the RAG context of every answerable and
 * unanswerable question of its dataset (adversarial ones are left out: guardrails answer them).
 */
export async function prepareQuestions(
  corpus: Corpus,
  options: { indexDirectory: string; retrieval: RetrievalSpec },
): Promise<{ questions: Question[]; index: CorpusIndex }> {
  const { retrieval } = options;
  const indexer = new CorpusIndexer({
    source: new FileCorpusSource({ root: corpus.root ?? workspace }),
    store: new FileIndexStore({ directory: options.indexDirectory }),
  });
  const live = new LiveCorpusIndex({ indexer, request: { corpus: corpus.corpus, chunking: retrieval.chunking } });
  const preparer = new RagPromptPreparer({
    corpus: corpus.corpus,
    index: live,
    retrieval,
    tokenBudget: ragDefaults.tokenBudget,
  });
  const lines = datasetLines(resolve(workspace, corpus.dataset));
  const { index } = await live.get();
  const corpusIdf = (term: string) => index.lexical.idf(term);
  const questions: Question[] = [];
  for (const line of lines) {
    const answerable = line.tags.includes('answerable');
    if (!answerable && !line.tags.includes('unanswerable')) continue;
    const prepared = await preparer.prepare({ messages: [{ role: 'user', content: line.input }], variables: {} });
    const references = line.reference_contexts ?? [];
    const pageTag = line.tags.find((tag) => tag.startsWith('page:'));
    questions.push({
      id: line.id ?? line.input,
      ...(pageTag === undefined ? {} : { pageTag }),
      question: line.input,
      ...(line.expected_output === undefined ? {} : { expectedOutput: line.expected_output }),
      references,
      answerable,
      messages: prepared.messages,
      retrieved: answerable && referenceRetrieved(prepared.messages, references),
      rankedScores: prepared.retrieval?.passages.map((passage) => passage.score) ?? [],
      corpusIdf,
    });
  }
  return { questions, index };
}

/** Issue 11's targets for the offline answerer on the held-out set, as shares. */
export const targets = { facts: 0.7, answerableDeclined: 0.1, unanswerableDeclined: 0.9 };

/** The counts issue 11's answer targets are stated in. */
export interface TargetCounts {
  answerable: number;
  facts: number;
  answerableDeclined: number;
  unanswerable: number;
  unanswerableDeclined: number;
}

/**
 * What calibration maximises: minus the total shortfall from issue 11's three targets (answers with
 * the fact ≥ 70 %, answerable declined ≤ 10 %, unanswerable declined ≥ 90 %), each as a share of its
 * own questions, so that no target is traded away for another one that is already met. Answerable
 * and unanswerable questions count by their shares whatever the set's own mix.
 */
export function objective(outcome: TargetCounts): number {
  const facts = outcome.facts / outcome.answerable;
  const declined = outcome.answerableDeclined / outcome.answerable;
  const refused = outcome.unanswerableDeclined / outcome.unanswerable;
  return -(
    Math.max(0, targets.facts - facts) +
    Math.max(0, declined - targets.answerableDeclined) +
    Math.max(0, targets.unanswerableDeclined - refused)
  );
}
