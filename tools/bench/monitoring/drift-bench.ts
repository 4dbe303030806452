/**
 * Benchmark of the drift report (issue 12, item 6): 100,000 current events × 8 features (5 numeric, 3
 * categorical) against a reference of 100,000 events, with the methods Evidently's defaults choose at that size
 * (normalised Wasserstein, Jensen–Shannon). Also times the text domain classifier on 1,000 × 1,000 questions.
 *
 *   npx tsx --conditions=@llmops/source tools/bench/monitoring/drift-bench.ts [--runs 7]
 *
 * Prints the wall time per report (p50, min, max over the runs after one warm-up), each feature's share, and the
 * heap in use; exits with status 1 when the p50 misses the 1 s target.
 */
import {
  buildDriftReport,
  measureFeatureDrift,
  resolveDriftOptions,
  textDomainClassifierTest,
} from '@llmops/monitoring';
import type { DriftFeature } from '@llmops/monitoring';
import { random } from '../seeded-random.js';

const targetMs = 1000;
const events = 100_000;
const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 7;

/** One window of events: the current one is shifted a little so that some features drift. */
function window(seed: number, shift: number): DriftFeature[] {
  const next = random(seed);
  const normal = (mean: number, deviation: number) =>
    mean + deviation * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const pick = (weights: Record<string, number>) => {
    let draw = next() * Object.values(weights).reduce((sum, weight) => sum + weight, 0);
    for (const [label, weight] of Object.entries(weights)) {
      draw -= weight;
      if (draw < 0) return label;
    }
    return Object.keys(weights)[0];
  };
  const numeric = (mean: number, deviation: number) =>
    Array.from({ length: events }, () => Math.max(0, normal(mean, deviation)));
  const categorical = (weights: Record<string, number>) => Array.from({ length: events }, () => pick(weights));
  return [
    { name: 'input_tokens', kind: 'numeric', reference: [], current: numeric(900 + 200 * shift, 250) },
    { name: 'output_tokens', kind: 'numeric', reference: [], current: numeric(180, 60) },
    { name: 'latency_ms', kind: 'numeric', reference: [], current: numeric(320 + 40 * shift, 90) },
    { name: 'top_retrieval_score', kind: 'numeric', reference: [], current: numeric(0.62 - 0.05 * shift, 0.12) },
    { name: 'answer_length', kind: 'numeric', reference: [], current: numeric(640, 210) },
    { name: 'cache', kind: 'categorical', reference: [], current: categorical({ hit: 3, miss: 6, bypass: 1 }) },
    {
      name: 'refused',
      kind: 'categorical',
      reference: [],
      current: categorical({ false: 9 - shift, true: 1 + shift }),
    },
    {
      name: 'guardrail_category',
      kind: 'categorical',
      reference: [],
      current: categorical({ none: 95, pii: 3, injection: 1, dangerous: 1 }),
    },
  ] as DriftFeature[];
}

const reference = window(1, 0);
const current = window(2, 1);
const features = reference.map(
  (feature, index) => ({ ...feature, reference: feature.current, current: current[index].current }) as DriftFeature,
);

const percentile = (sorted: number[], fraction: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];

buildDriftReport(features);
const timings: number[] = [];
let report = buildDriftReport(features);
for (let run = 0; run < runs; run++) {
  const start = performance.now();
  report = buildDriftReport(features);
  timings.push(performance.now() - start);
}
timings.sort((left, right) => left - right);

const options = resolveDriftOptions();
console.log(
  `drift report, ${events.toLocaleString('en')} current × ${events.toLocaleString('en')} reference events × ${features.length} features, ${runs} runs`,
);
console.log(`| p50 ms | min ms | max ms | heap in use |`);
console.log(`| --- | --- | --- | --- |`);
console.log(
  `| ${percentile(timings, 0.5).toFixed(1)} | ${timings[0].toFixed(1)} | ${timings[timings.length - 1].toFixed(1)} | ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB |`,
);
console.log('\n| feature | method | statistic | verdict | ms (one run) |');
console.log('| --- | --- | --- | --- | --- |');
for (const feature of features) {
  const start = performance.now();
  const result = measureFeatureDrift(feature, options);
  const elapsed = performance.now() - start;
  console.log(
    `| ${result.name} | ${result.method} | ${result.statistic?.toFixed(4)} | ${result.verdict} | ${elapsed.toFixed(1)} |`,
  );
}
console.log(`\ndataset: ${report.driftedFeatures}/${report.testedFeatures} drifted → ${report.verdict}`);

// The text domain classifier on 1,000 reference and 1,000 current questions of overlapping topics.
const vocabulary = [
  'refund',
  'invoice',
  'password',
  'login',
  'shipping',
  'order',
  'account',
  'warranty',
  'cache',
  'key',
];
const common = ['how', 'do', 'i', 'my', 'the', 'can', 'why', 'is', 'where', 'change'];
function questions(seed: number, topics: number): string[] {
  const next = random(seed);
  const word = (list: string[], size: number) => list[Math.floor(next() * size)];
  return Array.from({ length: 1000 }, () =>
    [word(common, 10), word(common, 10), word(vocabulary, topics), word(common, 10), word(vocabulary, topics)].join(
      ' ',
    ),
  );
}
const textStart = performance.now();
const text = textDomainClassifierTest(questions(3, 8), questions(4, 10));
console.log(
  `text domain classifier, 1,000 × 1,000 questions: ${(performance.now() - textStart).toFixed(1)} ms, AUC ${text.auc.toFixed(3)}, threshold ${text.threshold.toFixed(3)} (${text.thresholdRule}), drift ${text.drift}`,
);

if (percentile(timings, 0.5) > targetMs) {
  console.error(`p50 ${percentile(timings, 0.5).toFixed(1)} ms misses the ${targetMs} ms target`);
  process.exit(1);
}
