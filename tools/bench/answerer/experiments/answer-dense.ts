/**
 * Does a dense similarity (all-MiniLM-L6-v2) help the offline extractive answerer choose its unit and decide to
 * decline? An experiment for issue 11, not a shipped path:
 *
 *   npx tsx --conditions=@llmops/source tools/bench/answerer/experiments/answer-dense.ts \
 *     --corpus /tmp/real-man --dataset tools/bench/retrieval/real-man-pages/questions.jsonl \
 *     [--weights packages/serving/models/minilm-l6-int8.bin] [--cache /tmp/answer-dense-vectors.json] [--check] [--cost N]
 *     [--pre-registered]
 *
 * Contexts: what the RAG pipeline builds with the shipped improved spec (confs/models/support-rag-improved.yaml,
 * lexical rerank, no `retrieval.dense`), as `answer-quality.ts --improved` builds them, for the help center, the
 * skerry manual and the real man pages; halves by `inDevelopHalfByPage` (by page on the real man pages, by question
 * id elsewhere), as `answer-quality.ts --halves` cuts them. The model is the spec's (`minSupport` 0.40). For every
 * quotable unit of a context, the MiniLM cosine between the question and the unit, embedded as its document title
 * and location, then its text (`unitEmbeddingText`); vectors cached in `--cache` by SHA-256 of the text.
 *
 * Variants, fixed before measuring (the answerer's `dense` signal, `DenseUnitSignal`):
 * - (a) choice: each quotable unit's rank + w × cosine chooses the unit; decline as today (support < minSupport),
 *   w in 0.05, 0.1, 0.2, 0.3, 0.5;
 * - (b) decline: the choice as today; a decline needs both support < minSupport and cosine < c (a unit whose cosine
 *   is at least c answers whatever its support), c in 0.30, 0.35, …, 0.80;
 * - (c) both: every (w, c) pair of the two grids.
 * Signals' AUC (answerable positive against unanswerable, ROC, ties half) on each develop half and pooled: the
 * lexical support the decline reads today (the best unit's, `minSupport` 0), the cosine of that unit, and the
 * largest cosine over the context's quotable units.
 * The rule, on the develop halves only: the variant and constants with the best mean of issue 11's objective
 * (`objective`: minus the shortfall from 70 % facts, ≤ 10 % answerable declined, ≥ 90 % unanswerable declined)
 * over the three develop halves; ties go to the simpler variant ((a), then (b), then (c)), then the smaller w, then
 * the larger c. It is a candidate only if its mean develop objective beats the answerer as it is; otherwise no check
 * half is measured. With `--check`, the candidate and the answerer as it is are measured once on the three check
 * halves. It is kept (and may be wired) only if on no check half it gives fewer facts or fewer unanswerable
 * declines, and its mean check objective is not lower.
 * `--cost N`: the CPU (`process.cpuUsage`, user + system) of N answers spread over all questions, paired per
 * question in alternating order: the answer as today, the answer with the dense signal and an empty vector cache
 * (the question and every quotable unit embedded), and with the vectors cached; `uptime` before and after.
 *
 * Result (2026-12-01): (c) w 0.5, c 0.65 was chosen on the develop halves and loses on the check halves (more facts
 * on both manuals, but fewer unanswerable declines): not kept. Numbers in wiki/Serving.md, "A dense signal in the
 * answerer".
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { areaUnderRoc } from '@llmops/evaluation';
import { doNotKnowAnswer, OfflineExtractiveChatModel } from '@llmops/providers';
import type { DenseUnitSignal, TextSimilarity } from '@llmops/providers';
import { miniLmEncoderAt } from '@llmops/serving';
import type { MiniLmEncoder } from '@llmops/serving';
import { option } from '../../command-line.js';
import {
  benchModelSettings,
  benchRetrieval,
  containsFact,
  corporaFromArguments,
  inDevelopHalfByPage,
  objective,
  prepareQuestions,
} from '../answer-bench-data.js';
import type { Question, TargetCounts } from '../answer-bench-data.js';

if (option('corpus') === undefined) {
  console.error(
    'usage: answer-dense.ts --corpus DIR --dataset FILE [--weights FILE] [--cache FILE] [--check] [--cost N] (DIR: tools/bench/retrieval/real-man-pages/lay-out.sh)',
  );
  process.exit(2);
}
const weightsPath = resolve(option('weights') ?? 'packages/serving/models/minilm-l6-int8.bin');
const cachePath = resolve(option('cache') ?? '/tmp/answer-dense-vectors.json');
const measureCheck = process.argv.includes('--check');
const preRegistered = process.argv.includes('--pre-registered');
const costSample = option('cost') === undefined ? 0 : Number(option('cost'));
const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
console.log(`start: ${uptime()}`);

let encoder: MiniLmEncoder | undefined;
const encoderNow = () => (encoder ??= miniLmEncoderAt(weightsPath, '--weights'));
const keyOf = (text: string) => createHash('sha256').update(text).digest('hex');

/** A cosine similarity over MiniLM vectors kept by SHA-256 of their text in `vectors`. */
function cachedSimilarity(vectors: Map<string, Float32Array | number[]>): TextSimilarity {
  const vectorOf = (text: string) => {
    const key = keyOf(text);
    let vector = vectors.get(key);
    if (vector === undefined) {
      vector = encoderNow().encode(text);
      vectors.set(key, vector);
    }
    return vector;
  };
  return (question, texts) => {
    const asked = vectorOf(question);
    return texts.map((text) => {
      const vector = vectorOf(text);
      let dot = 0;
      for (let index = 0; index < asked.length; index += 1) dot += (asked[index] as number) * (vector[index] as number);
      return dot;
    });
  };
}

const stored = new Map<string, Float32Array | number[]>(
  existsSync(cachePath) ? Object.entries(JSON.parse(readFileSync(cachePath, 'utf8')) as Record<string, number[]>) : [],
);
const similarity = cachedSimilarity(stored);

interface Variant {
  name: string;
  dense?: DenseUnitSignal;
}

const weights = [0.05, 0.1, 0.2, 0.3, 0.5];
const cosineFloors = Array.from({ length: 11 }, (_, index) => Math.round((0.3 + index * 0.05) * 100) / 100);
const lexical: Variant = { name: 'lexical (as shipped)' };
const variants: Variant[] = [
  ...weights.map((weight) => ({ name: `(a) w ${weight}`, dense: { similarity, weight } })),
  ...cosineFloors.map((minCosine) => ({ name: `(b) c ${minCosine}`, dense: { similarity, weight: 0, minCosine } })),
  ...weights.flatMap((weight) =>
    cosineFloors.map((minCosine) => ({
      name: `(c) w ${weight} c ${minCosine}`,
      dense: { similarity, weight, minCosine },
    })),
  ),
];

const model = new OfflineExtractiveChatModel(benchModelSettings(true));

function measure(questions: readonly Question[], variant: Variant): TargetCounts {
  const counts: TargetCounts = {
    answerable: 0,
    facts: 0,
    answerableDeclined: 0,
    unanswerable: 0,
    unanswerableDeclined: 0,
  };
  for (const question of questions) {
    const answer = model.answer(question.messages, {}, variant.dense).content;
    const declined = answer === doNotKnowAnswer;
    if (question.answerable) {
      counts.answerable += 1;
      if (declined) counts.answerableDeclined += 1;
      else if (containsFact(answer, question.references)) counts.facts += 1;
    } else {
      counts.unanswerable += 1;
      if (declined) counts.unanswerableDeclined += 1;
    }
  }
  return counts;
}

const format = (counts: TargetCounts) =>
  `${counts.facts}/${counts.answerable} · ${counts.answerableDeclined}/${counts.answerable} · ${counts.unanswerableDeclined}/${counts.unanswerable} (${objective(counts).toFixed(3)})`;

/** The three signals' AUC over some questions (see the header). */
function signalAucs(questions: readonly Question[]): Record<string, string> {
  const open = new OfflineExtractiveChatModel({ ...benchModelSettings(true), minSupport: 0 });
  const support: Array<{ score: number; positive: boolean }> = [];
  const bestCosine: Array<{ score: number; positive: boolean }> = [];
  const maxCosine: Array<{ score: number; positive: boolean }> = [];
  for (const question of questions) {
    let texts: readonly string[] = [];
    let cosines: readonly number[] = [];
    const recording: TextSimilarity = (asked, given) => {
      texts = given;
      cosines = similarity(asked, given);
      return cosines;
    };
    // Weight 0 and no floor: the lexical choice, with the cosines of the quotable units recorded.
    const citation = open.answer(question.messages, {}, { similarity: recording, weight: 0 }).citations[0];
    const chosenIndex =
      citation === undefined
        ? -1
        : texts.findIndex((text) => text === citation.sentence || text.endsWith(`\n${citation.sentence}`));
    support.push({ score: citation?.relevance ?? 0, positive: question.answerable });
    bestCosine.push({ score: chosenIndex < 0 ? 0 : (cosines[chosenIndex] ?? 0), positive: question.answerable });
    maxCosine.push({ score: cosines.length === 0 ? 0 : Math.max(...cosines), positive: question.answerable });
  }
  const auc = (samples: Array<{ score: number; positive: boolean }>) => areaUnderRoc(samples)?.toFixed(3) ?? '-';
  return {
    'support AUC': auc(support),
    "best unit's cosine AUC": auc(bestCosine),
    'max cosine AUC': auc(maxCosine),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor((sorted.length - 1) / 2)] as number;
}

function cpuMs(action: () => void): number {
  const start = process.cpuUsage();
  action();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function main(): Promise<void> {
  const retrieval = benchRetrieval(true);
  const indexDirectory = mkdtempSync(join(tmpdir(), 'llmops-bench-answer-dense-'));
  const halves: Array<{ name: string; check: boolean; questions: Question[] }> = [];
  try {
    for (const corpus of corporaFromArguments(process.argv)) {
      const { questions } = await prepareQuestions(corpus, { indexDirectory, retrieval });
      halves.push({ name: `${corpus.name}, develop`, check: false, questions: questions.filter(inDevelopHalfByPage) });
      halves.push({
        name: `${corpus.name}, check`,
        check: true,
        questions: questions.filter((question) => !inDevelopHalfByPage(question)),
      });
    }
  } finally {
    rmSync(indexDirectory, { recursive: true, force: true });
  }
  if (preRegistered) {
    measurePreRegistered(halves);
    return;
  }
  const develop = halves.filter((half) => !half.check);
  const check = halves.filter((half) => half.check);

  if (costSample > 0) {
    measureCost(halves.flatMap((half) => half.questions));
    return;
  }

  // Embed every question and quotable unit once (no label is read), so the cache is complete for both halves.
  const embedStart = process.cpuUsage();
  const before = stored.size;
  for (const { questions } of halves)
    for (const question of questions) model.answer(question.messages, {}, { similarity, weight: 0 });
  const embedded = process.cpuUsage(embedStart);
  console.log(
    `vectors: ${before} cached, ${stored.size - before} embedded in ${((embedded.user + embedded.system) / 1e6).toFixed(1)} s of CPU`,
  );
  writeFileSync(
    cachePath,
    JSON.stringify(Object.fromEntries([...stored].map(([key, vector]) => [key, Array.from(vector)]))),
  );

  console.log('\nSignals on the develop halves (answerable vs unanswerable, ROC AUC):');
  console.table([
    ...develop.map((half) => ({ half: half.name, ...signalAucs(half.questions) })),
    { half: 'develop, pooled', ...signalAucs(develop.flatMap((half) => half.questions)) },
  ]);

  const meanObjective = (variant: Variant, sets: typeof halves) =>
    sets.reduce((sum, half) => sum + objective(measure(half.questions, variant)), 0) / sets.length;
  const baseline = meanObjective(lexical, develop);
  const scored = variants.map((variant) => ({ variant, score: meanObjective(variant, develop) }));
  console.log(`\nDevelop halves: facts · answerable declined · unanswerable declined (objective)`);
  const shown = [lexical, ...variants];
  console.table(
    shown.map((variant) => ({
      variant: variant.name,
      ...Object.fromEntries(develop.map((half) => [half.name, format(measure(half.questions, variant))])),
      'mean objective': meanObjective(variant, develop).toFixed(3),
    })),
  );
  // Variants are listed simplest first and weights ascending, floors ascending: a strict > keeps the first of equals
  // except for floors, where the larger c wins a tie.
  let chosen: { variant: Variant; score: number } | undefined;
  for (const entry of scored) {
    if (chosen === undefined || entry.score > chosen.score + 1e-12) chosen = entry;
    else if (
      Math.abs(entry.score - chosen.score) <= 1e-12 &&
      entry.variant.name.slice(0, 3) === chosen.variant.name.slice(0, 3) &&
      entry.variant.dense?.weight === chosen.variant.dense?.weight &&
      (entry.variant.dense?.minCosine ?? 0) > (chosen.variant.dense?.minCosine ?? 0)
    )
      chosen = entry;
  }
  if (chosen === undefined || !(chosen.score > baseline + 1e-12)) {
    console.log(
      `\nNo variant beats the answerer as it is on the develop halves (${baseline.toFixed(3)}): nothing to check.`,
    );
    return;
  }
  console.log(
    `\nChosen on the develop halves: ${chosen.variant.name} (${chosen.score.toFixed(3)} against ${baseline.toFixed(3)})`,
  );
  if (!measureCheck) return;
  console.log(`\nCheck halves, measured once (${uptime()}):`);
  const rows = check.map((half) => ({
    half: half.name,
    lexical: measure(half.questions, lexical),
    chosen: measure(half.questions, (chosen as { variant: Variant }).variant),
  }));
  console.table(
    rows.map((row) => ({ half: row.half, lexical: format(row.lexical), [chosen.variant.name]: format(row.chosen) })),
  );
  const loses = rows.some(
    (row) => row.chosen.facts < row.lexical.facts || row.chosen.unanswerableDeclined < row.lexical.unanswerableDeclined,
  );
  const checkMean = (pick: 'lexical' | 'chosen') =>
    rows.reduce((sum, row) => sum + objective(row[pick]), 0) / rows.length;
  console.log(
    `mean check objective ${checkMean('lexical').toFixed(3)} → ${checkMean('chosen').toFixed(3)}; ${loses || checkMean('chosen') < checkMean('lexical') ? 'LOSES on a check half: not kept' : 'does not lose: kept'}`,
  );
}

/** See the header's `--pre-registered`: three fixed answerers on every corpus, whole and by halves. */
function measurePreRegistered(halves: ReadonlyArray<{ name: string; questions: Question[] }>): void {
  const fixed: Variant[] = [
    lexical,
    { name: '(c) w 0.5 c 0.65', dense: { similarity, weight: 0.5, minCosine: 0.65 } },
    { name: '(a) w 0.5', dense: { similarity, weight: 0.5 } },
  ];
  const sets = halves.flatMap((half, index) =>
    index % 2 === 0
      ? [
          {
            name: half.name.replace(/, develop$/, ''),
            questions: [...half.questions, ...(halves[index + 1]?.questions ?? [])],
          },
          half,
        ]
      : [half],
  );
  console.log(
    `\nPre-registered variants: facts · answerable declined · unanswerable declined (objective); ${uptime()}`,
  );
  console.table(
    sets.map((set) => ({
      set: set.name,
      ...Object.fromEntries(fixed.map((variant) => [variant.name, format(measure(set.questions, variant))])),
    })),
  );
}

/** See the header's `--cost`. */
function measureCost(questions: readonly Question[]): void {
  encoderNow();
  const step = Math.max(1, Math.floor(questions.length / costSample));
  const sample = questions.filter((_, index) => index % step === 0).slice(0, costSample);
  const plain: number[] = [];
  const cold: number[] = [];
  const warm: number[] = [];
  const texts: number[] = [];
  sample.forEach((question, position) => {
    const fresh = new Map<string, Float32Array | number[]>();
    const signal = { similarity: cachedSimilarity(fresh), weight: 0 };
    const runs = [
      () => plain.push(cpuMs(() => model.answer(question.messages))),
      () => {
        cold.push(cpuMs(() => model.answer(question.messages, {}, signal)));
        texts.push(fresh.size);
        warm.push(cpuMs(() => model.answer(question.messages, {}, signal)));
      },
    ];
    for (const run of position % 2 === 0 ? runs : [...runs].reverse()) run();
  });
  console.table([
    { answer: 'lexical (as shipped)', 'CPU ms median': median(plain).toFixed(2) },
    {
      answer: 'with the dense signal, cold cache',
      'CPU ms median': median(cold).toFixed(1),
      'texts embedded (median)': median(texts),
    },
    { answer: 'with the dense signal, vectors cached', 'CPU ms median': median(warm).toFixed(2) },
  ]);
  console.log(`${sample.length} answers; end: ${uptime()}`);
}

await main();
console.log(`end: ${uptime()}`);
