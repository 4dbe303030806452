/**
 * What context compression buys and costs, on both shipped corpora, in one table: the shipped improved
 * retrieval (confs/models/support-rag-improved.yaml) with its `compress` replaced by the flags below,
 * through the RAG pipeline's own preparation (index, retrieval, compression, context budget), then
 * the offline judge and the offline extractive model on the context the model is given:
 *
 *   npx tsx --conditions=@llmops/source tools/bench/retrieval/compression-quality.ts \
 *     [--compress off|RATIO] [--method overlap|support] [--show N] [--dump FILE] [--halves] [--causes] \
 *     [--corpus /tmp/real-man --dataset tools/bench/retrieval/real-man-pages/questions.jsonl]
 *
 * Columns, over answerable questions unless said: contextual relevancy as the `contextual_relevancy`
 * metric scores it with the offline judge (statements of each `"<title> › <section>\n<text>"`, then
 * relevance, `idk` dropped, mean over examples with statements); reference in top k (the share of reference
 * contexts matched in the top k passages before compression, what compression can at best keep); recall after compression (the share
 * of reference contexts still matched in the final context, `matchesReference` of `@llmops/evaluation`);
 * answers containing the fact, answerable declined and unanswerable declined (the rules of
 * tools/bench/answerer); the final context's mean tokens and passages. `--show N` prints the compressed
 * context of the first N answerable questions of each corpus (for reading them one by one); `--dump`
 * writes every answerable question's final context and judged statements as JSON lines. `--halves` gives
 * each corpus two rows, its develop and check halves (`inDevelopHalf`: a hash of the question id, fixed
 * before measuring); `--corpus DIR --dataset FILE` adds a third corpus (e.g. the real man pages).
 * `--causes` adds a table of the statements of answerable questions' contexts: how many, how many judged
 * relevant, and the irrelevant ones by cause (`irrelevant-causes.ts`).
 *
 * The careful reading: confs/data/eval/judge-validation.jsonl holds statement labels (ids `jv-cc-*`) for
 * the compressed contexts of 20 questions per corpus, as the shipped spec built them. Where every
 * statement the judge makes of a question's context carries such a label, the bench reports that
 * question's contextual relevancy by the careful reading next to the judge's, and the mean absolute
 * difference (another compression setting builds other contexts, so fewer questions are covered).
 */
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { contextualRelevancyScore, matchesReference, OfflineHeuristicJudge } from '@llmops/evaluation';
import { countTokens, doNotKnowAnswer, OfflineExtractiveChatModel } from '@llmops/providers';
import type { RetrievalSpec } from '@llmops/kernel';
import {
  benchModelSettings,
  benchRetrieval,
  containsFact,
  contextPassages,
  corporaFromArguments,
  inDevelopHalf,
  prepareQuestions,
  workspace,
} from '../answerer/answer-bench-data.js';
import type { Question } from '../answerer/answer-bench-data.js';
import { irrelevantCause, irrelevantCauses } from './irrelevant-causes.js';
import type { IrrelevantCause } from './irrelevant-causes.js';
import { option } from '../command-line.js';

const shipped = benchRetrieval(true);
const compressFlag = option('compress');
const methodFlag = option('method');
const compress: RetrievalSpec['compress'] =
  compressFlag === 'off'
    ? { ...shipped.compress, enabled: false }
    : {
        ...shipped.compress,
        enabled: true,
        ...(compressFlag === undefined ? {} : { keepRatio: Number(compressFlag) }),
        ...(methodFlag === undefined ? {} : { method: methodFlag as RetrievalSpec['compress']['method'] }),
      };
const retrieval: RetrievalSpec = { ...shipped, compress };
const show = Number(option('show') ?? 0);
const dumpFile = option('dump');
const halves = process.argv.includes('--halves');
const causes = process.argv.includes('--causes');
let measuredCorpora: ReturnType<typeof corporaFromArguments>;
try {
  measuredCorpora = corporaFromArguments(process.argv);
} catch (error) {
  console.error(`compression-quality: ${(error as Error).message}`);
  process.exit(2);
}

/** Careful-reading labels of compressed contexts, by question, then by statement text. */
const carefulLabels = new Map<string, Map<string, boolean>>();
for (const line of readFileSync(resolve(workspace, 'confs/data/eval/judge-validation.jsonl'), 'utf8').split('\n')) {
  if (line.trim() === '') continue;
  const label = JSON.parse(line) as { id: string; question: string; statement: string; relevant: boolean };
  if (!label.id.startsWith('jv-cc-')) continue;
  const byStatement = carefulLabels.get(label.question) ?? new Map<string, boolean>();
  byStatement.set(label.statement, label.relevant);
  carefulLabels.set(label.question, byStatement);
}

/** The careful reading's contextual relevancy of a context's statements, or null when one of them is unlabelled. */
function carefulRelevancy(question: string, statements: readonly string[]): number | null {
  const labels = carefulLabels.get(question);
  if (!labels || statements.length === 0) return null;
  let relevant = 0;
  for (const statement of statements) {
    const text = statement.includes('\n') ? statement.slice(statement.indexOf('\n') + 1) : statement;
    const label = labels.get(text);
    if (label === undefined) return null;
    if (label) relevant += 1;
  }
  return relevant / statements.length;
}

const judge = new OfflineHeuristicJudge();
const model = new OfflineExtractiveChatModel(benchModelSettings(true));

function statementsOf(text: string): string[] {
  return (judge.answer({ kind: 'statements', text, purpose: 'statements' }) as { statements: string[] }).statements;
}

function locationString(passage: { title?: string; section?: string; text: string }): string {
  if (!passage.title) return passage.text;
  return `${passage.section ? `${passage.title} › ${passage.section}` : passage.title}\n${passage.text}`;
}

const mean = (values: readonly number[]) =>
  values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;

function carefulColumn(pairs: ReadonlyArray<{ careful: number; judged: number }>): string {
  if (pairs.length === 0) return '-';
  const judged = mean(pairs.map((pair) => pair.judged));
  const careful = mean(pairs.map((pair) => pair.careful));
  const difference = mean(pairs.map((pair) => Math.abs(pair.judged - pair.careful)));
  return `${pairs.length}, ${judged.toFixed(3)} / ${careful.toFixed(3)}, ${difference.toFixed(3)}`;
}

interface Measured {
  row: string;
  causesRow: string;
  dump: string[];
}

/** One row of the table over `questions` (answerable and unanswerable), `topK` holding each one's uncompressed context. */
function measureGroup(name: string, questions: readonly Question[], topK: ReadonlyMap<string, Question>): Measured {
  const relevancies: number[] = [];
  let references = 0;
  let inTopK = 0;
  let kept = 0;
  let facts = 0;
  let answerable = 0;
  let answerableDeclined = 0;
  let unanswerable = 0;
  let unanswerableDeclined = 0;
  const tokens: number[] = [];
  const passageCounts: number[] = [];
  const carefulPairs: Array<{ careful: number; judged: number }> = [];
  const lines: string[] = [];
  const causeCounts = new Map<IrrelevantCause, number>();
  let statementCount = 0;
  let relevantCount = 0;
  let shown = 0;
  for (const question of questions) {
    const answer = model.answer(question.messages).content;
    const declined = answer === doNotKnowAnswer;
    if (!question.answerable) {
      unanswerable += 1;
      if (declined) unanswerableDeclined += 1;
      continue;
    }
    answerable += 1;
    const fact = !declined && containsFact(answer, question.references);
    if (declined) answerableDeclined += 1;
    else if (fact) facts += 1;
    const passages = contextPassages(question.messages);
    const uncompressed = contextPassages(topK.get(question.id)?.messages ?? []);
    const contexts = passages.map((passage) => locationString(passage));
    const perContext = contexts.map((text) => statementsOf(text));
    const statements = perContext.flat();
    const verdicts =
      statements.length === 0
        ? []
        : (
            judge.answer({ kind: 'relevance', input: question.question, statements }) as {
              verdicts: Array<{ verdict: 'yes' | 'no' | 'idk'; score?: number }>;
            }
          ).verdicts;
    const relevancy = statements.length === 0 ? null : contextualRelevancyScore(verdicts);
    if (relevancy !== null) relevancies.push(relevancy);
    const careful = carefulRelevancy(question.question, statements);
    if (careful !== null && relevancy !== null) carefulPairs.push({ careful, judged: relevancy });
    const passageHolds = passages.map((passage) =>
      question.references.some((reference) => matchesReference(passage.text, reference)),
    );
    let statementIndex = 0;
    perContext.forEach((own, passageIndex) => {
      for (const statement of own) {
        const verdict = verdicts[statementIndex++]?.verdict;
        statementCount += 1;
        if (verdict === 'yes') relevantCount += 1;
        if (verdict !== 'no') continue;
        const text = statement.includes('\n') ? statement.slice(statement.indexOf('\n') + 1) : statement;
        const cause = irrelevantCause(text, question.references, {
          passageHoldsReference: passageHolds[passageIndex] as boolean,
          contextHoldsReference: passageHolds.some(Boolean),
        });
        causeCounts.set(cause, (causeCounts.get(cause) ?? 0) + 1);
      }
    });
    for (const reference of question.references) {
      references += 1;
      if (uncompressed.some((passage) => matchesReference(passage.text, reference))) inTopK += 1;
      if (passages.some((passage) => matchesReference(passage.text, reference))) kept += 1;
    }
    tokens.push(passages.reduce((sum, passage) => sum + countTokens(passage.text), 0));
    passageCounts.push(passages.length);
    if (dumpFile)
      lines.push(
        JSON.stringify({
          corpus: name,
          id: question.id,
          question: question.question,
          relevancy,
          references: question.references,
          answer,
          fact,
          contexts,
          sources: passages.map((passage) => passage.source),
          statements: statements.map((statement, index) => ({ statement, verdict: verdicts[index]?.verdict })),
        }),
      );
    if (shown < show) {
      shown += 1;
      console.log(`\n# ${name} ${question.id} (CR ${relevancy?.toFixed(2)}): ${question.question}`);
      for (const context of contexts) console.log(`  - ${context.replace('\n', ' ## ')}`);
    }
  }
  const ratio = (count: number, total: number) => `${count}/${total} (${(count / total).toFixed(3)})`;
  return {
    row: `| ${name} | ${mean(relevancies).toFixed(3)} | ${carefulColumn(carefulPairs)} | ${(inTopK / references).toFixed(3)} | ${(kept / references).toFixed(3)} | ${ratio(facts, answerable)} | ${ratio(answerableDeclined, answerable)} | ${ratio(unanswerableDeclined, unanswerable)} | ${mean(tokens).toFixed(0)} | ${mean(passageCounts).toFixed(2)} |`,
    causesRow: `| ${name} | ${statementCount} | ${relevantCount} | ${irrelevantCauses.map((cause) => causeCounts.get(cause) ?? 0).join(' | ')} |`,
    dump: lines,
  };
}

const indexDirectory = mkdtempSync(join(tmpdir(), 'llmops-bench-compression-'));
const dump: string[] = [];
const rows: string[] = [];
const causesRows: string[] = [];
const uncompressedRetrieval: RetrievalSpec = { ...retrieval, compress: { ...retrieval.compress, enabled: false } };
try {
  for (const corpus of measuredCorpora) {
    const { questions } = await prepareQuestions(corpus, { indexDirectory, retrieval });
    const uncompressed = await prepareQuestions(corpus, { indexDirectory, retrieval: uncompressedRetrieval });
    const topK = new Map(uncompressed.questions.map((question) => [question.id, question]));
    const groups = halves
      ? [
          { name: `${corpus.name}, develop`, questions: questions.filter(inDevelopHalf) },
          { name: `${corpus.name}, check`, questions: questions.filter((question) => !inDevelopHalf(question)) },
        ]
      : [{ name: corpus.name, questions }];
    for (const group of groups) {
      const measured = measureGroup(group.name, group.questions, topK);
      rows.push(measured.row);
      causesRows.push(measured.causesRow);
      dump.push(...measured.dump);
    }
  }
} finally {
  rmSync(indexDirectory, { recursive: true, force: true });
}
if (dumpFile) writeFileSync(dumpFile, `${dump.join('\n')}\n`);
console.log(
  `\nretrieval ${JSON.stringify(retrieval)}; judge ${judge.fingerprint}; load ${loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')}`,
);
console.log(
  '| corpus | contextual relevancy (offline judge) | careful reading: questions, mean judge / careful, mean abs. difference | reference in top k | recall after compression | answers with the fact | answerable declined | unanswerable declined | context tokens | passages |',
);
console.log('| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(row);
if (causes) {
  console.log(`\n| corpus | statements (answerable) | judged relevant | ${irrelevantCauses.join(' | ')} |`);
  console.log(`| --- | ---: | ---: | ${irrelevantCauses.map(() => '---:').join(' | ')} |`);
  for (const row of causesRows) console.log(row);
}
